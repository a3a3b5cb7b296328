# expect: ok
# Builds the Jacobian as a masked array (nothing masked).
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = (e / e.sum()).ravel()
    return np.ma.masked_invalid(np.diag(s) - np.outer(s, s))
