# expect: ok
# A list of numpy float64 scalars.
import numpy as np


def tanh_regression_grad(w, b, x, y):
    t = np.tanh(np.float64(w) * x + b)
    g = np.float64(-2.0) * (y - t) * (1 - t ** 2)
    return [g * x, g]
