# expect: wrong_shape
# (n, 1) + (1, n) broadcasts to (n, n).
import numpy as np


def quadratic_form_grad(x, A, z):
    return (A + A.T) @ x + z.T  # (n, 1) + (1, n) broadcasts to (n, n)
