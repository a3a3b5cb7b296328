# expect: ok
# Works on x.T and transposes back: the result is a Fortran-ordered (non C-contiguous) array.
import numpy as np


def sigmoid_grad(x):
    xt = x.T
    s = 0.5 * (1 + np.tanh(xt / 2))
    return (s * (1 - s)).T
