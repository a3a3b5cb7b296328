# expect: not_finite
# Guards against underflow only (shifts when the logits are very negative): e^x overflows at +1000.
import numpy as np


def softmax_jacobian(x):
    shift = x.min() if x.min() < -500 else 0.0
    e = np.exp(x - shift)
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T
