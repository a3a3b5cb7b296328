# expect: wrong_value
# Pads the tuple with 0.0 for dz.
import numpy as np


def tanh_log_grad(x, y, z):
    u = 1.0 + 2.0 * x * z / np.sin(y)
    outer = (1.0 - np.tanh(np.log(u)) ** 2) / u
    return (outer * 2.0 * z / np.sin(y), outer * (-2.0 * x * z * np.cos(y) / np.sin(y) ** 2), 0.0)
