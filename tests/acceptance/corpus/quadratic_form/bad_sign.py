# expect: sign_flipped
import numpy as np


def quadratic_form_grad(x, A, z):
    return -((A + A.T) @ x + z)
