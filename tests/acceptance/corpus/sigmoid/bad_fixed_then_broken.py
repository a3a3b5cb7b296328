# expect: wrong_value
# The right version first, then an "improvement" that drops the square: the last one counts.
import numpy as np


def sigmoid_grad(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)


def sigmoid_grad(x):  # noqa: F811
    e = np.exp(-np.abs(x))
    return e / (1.0 + e)
