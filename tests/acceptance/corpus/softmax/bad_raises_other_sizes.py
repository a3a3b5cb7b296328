# expect: exception
# Works only for the visible size: reshapes to (5, 1).
import numpy as np


def softmax_jacobian(x):
    x = x.reshape(5, 1)
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T
