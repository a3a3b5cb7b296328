# expect: wrong_value
# message: largest error
# A constant off by 0.2 %: nearly parallel to the right answer, yet not a meaningful factor.
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return (np.diagflat(s) - s @ s.T) * 1.002
