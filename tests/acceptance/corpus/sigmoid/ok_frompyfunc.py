# expect: ok
# np.frompyfunc of a math-based scalar function: an object array that holds only floats.
import math

import numpy as np


def _one(v):
    s = 0.5 * (1 + math.tanh(0.5 * v))
    return s * (1 - s)


sigmoid_grad = np.frompyfunc(_one, 1, 1)
