# expect: wrong_type
# Returns a comparison by mistake: booleans are refused with the dtype named.
import numpy as np


def tanh_regression_grad(w, b, x, y):
    t = np.tanh(w * x + b)
    return np.array([t > 0, t < 0])
