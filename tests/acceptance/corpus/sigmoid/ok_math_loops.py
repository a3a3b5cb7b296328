# expect: ok
# Loops with the math module, element by element, written back into a new array.
import math

import numpy as np


def _sig(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def sigmoid_grad(x):
    out = np.empty_like(x)
    for idx in np.ndindex(x.shape):
        s = _sig(float(x[idx]))
        out[idx] = s * (1.0 - s)
    return out
