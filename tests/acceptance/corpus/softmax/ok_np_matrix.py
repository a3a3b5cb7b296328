# expect: ok
# np.matrix algebra: * is the matrix product.
import numpy as np


def softmax_jacobian(x):
    x = np.matrix(x)
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.matrix(np.diagflat(s)) - s * s.T
