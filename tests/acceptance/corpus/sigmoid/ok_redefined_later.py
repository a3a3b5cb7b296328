# expect: ok
# A first attempt left in the file; Python keeps the last definition.
import numpy as np


def sigmoid_grad(x):
    return np.exp(-x) / (1 + np.exp(-x))  # first try: the square is missing


def sigmoid_grad(x):  # noqa: F811 - the fixed version
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
