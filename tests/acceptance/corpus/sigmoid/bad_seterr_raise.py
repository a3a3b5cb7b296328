# expect: exception
# Turns floating-point warnings into errors at module level; the naive form then raises on overflow.
import numpy as np

np.seterr(all="raise")


def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)
