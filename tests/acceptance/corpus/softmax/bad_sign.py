# expect: sign_flipped
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return s @ s.T - np.diagflat(s)
