# expect: wrong_value
# message: 0 everywhere
# A stub that returns zeros.
import numpy as np


def quadratic_form_grad(x, A, z):
    return np.zeros_like(x)
