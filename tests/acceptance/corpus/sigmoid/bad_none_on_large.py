# expect: wrong_type
# message: is None
# Gives up (returns nothing) on large inputs.
import numpy as np


def sigmoid_grad(x):
    if np.abs(x).max() > 100:
        return
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)
