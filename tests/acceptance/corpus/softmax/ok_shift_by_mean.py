# expect: ok
# Shifts by the mean instead of the max; the logits' spread is small, so nothing overflows.
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.mean())
    s = (e / e.sum()).ravel()
    return np.diag(s) - np.outer(s, s)
