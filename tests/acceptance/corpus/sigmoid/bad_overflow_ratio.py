# expect: not_finite
# e^{-x} / (1 + e^{-x})^2 is inf/inf = nan at x = -1000.
import numpy as np


def sigmoid_grad(x):
    e = np.exp(-x)
    return e / (1 + e) ** 2
