# expect: transposed
import numpy as np


def quadratic_form_grad(x, A, z):
    return x.T @ (A + A.T) + z.T
