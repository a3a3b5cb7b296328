# expect: wrong_value
# A global counter: right on the first call (the visible trial) only.
import numpy as np

_calls = [0]


def softmax_jacobian(x):
    _calls[0] += 1
    e = np.exp(x - x.max())
    s = e / e.sum()
    if _calls[0] == 1:
        return np.diagflat(s) - s @ s.T
    return np.diagflat(s) - 0.9 * s @ s.T
