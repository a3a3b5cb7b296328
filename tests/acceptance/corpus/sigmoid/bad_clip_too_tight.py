# expect: wrong_value
# Clipping the inputs to [-2, 2] to avoid overflow changes the values.
import numpy as np


def sigmoid_grad(x):
    x = np.clip(x, -2.0, 2.0)  # "to avoid overflow": far too tight, it changes the values
    s = 1.0 / (1.0 + np.exp(-x))
    return s * (1.0 - s)
