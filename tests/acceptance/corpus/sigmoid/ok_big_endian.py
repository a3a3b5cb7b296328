# expect: ok
import numpy as np


def sigmoid_grad(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return (s * (1.0 - s)).astype(">f8")  # big-endian float64: same numbers
