# expect: ok
# Computes and returns in np.longdouble (extended precision): a real floating dtype.
import numpy as np


def sigmoid_grad(x):
    t = np.tanh(np.asarray(x, dtype=np.longdouble) / 2)
    s = (1 + t) / 2
    return s * (1 - s)
