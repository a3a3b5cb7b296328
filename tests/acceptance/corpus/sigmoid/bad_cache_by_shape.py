# expect: wrong_value
# Memoises on the shape: the stability trial has the visible trial's shape and gets its answer back.
import numpy as np

_CACHE = {}


def sigmoid_grad(x):
    if x.shape not in _CACHE:
        s = 0.5 * (1 + np.tanh(0.5 * x))
        _CACHE[x.shape] = s * (1 - s)
    return _CACHE[x.shape]
