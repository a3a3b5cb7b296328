# expect: wrong_value
# An approximation good to about 1e-3: too coarse.
import numpy as np


def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s) * (1 + 1e-3 * np.cos(7 * x))
