# expect: wrong_shape
import numpy as np


def quadratic_form_grad(x, A, z):
    v = x.ravel()
    return (A + A.T) @ v + z.ravel()
