# expect: not_finite
# No max subtraction: exp(1000) overflows and inf/inf gives nan.
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x)
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T
