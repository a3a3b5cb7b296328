# expect: wrong_value
# 2Ax + z holds only for a symmetric A.
import numpy as np


def quadratic_form_grad(x, A, z):
    return 2 * A @ x + z
