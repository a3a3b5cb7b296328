# expect: wrong_value
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diag(s) - s @ s.T  # np.diag of an (n, 1) column is its first entry, not a diagonal matrix
