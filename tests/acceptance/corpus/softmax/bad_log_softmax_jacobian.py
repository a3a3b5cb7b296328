# expect: wrong_value
# The Jacobian of log-softmax (I - 1 s^T) instead of the softmax's.
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    n = x.shape[0]
    return np.eye(n) - np.ones((n, 1)) @ s.T
