# expect: wrong_value
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))  # the max of each row: every entry minus itself
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T
