# expect: wrong_value
# 2 A^T x + z: assumed symmetric the other way round.
import numpy as np


def quadratic_form_grad(x, A, z):
    return 2 * A.T @ x + z
