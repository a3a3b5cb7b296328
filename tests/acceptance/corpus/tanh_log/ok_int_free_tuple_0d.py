# expect: ok
# A tuple of 0-d arrays.
import numpy as np


def tanh_log_grad(x, y, z):
    s = np.sin(y)
    u = 1.0 + 2.0 * x * z / s
    t = np.tanh(np.log(u))
    outer = (1.0 - t * t) / u
    return (np.asarray(outer * 2.0 * z / s), np.asarray(outer * (-2.0 * x * z * np.cos(y) / s ** 2)),
            np.asarray(outer * 2.0 * x / s))
