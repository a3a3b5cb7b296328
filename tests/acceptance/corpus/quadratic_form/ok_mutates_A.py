# expect: ok
# Symmetrises A in place (A += A.T) and reuses it: the input is changed, the answer is right.
import numpy as np


def quadratic_form_grad(x, A, z):
    A += A.T.copy()
    z += A @ x
    return z
