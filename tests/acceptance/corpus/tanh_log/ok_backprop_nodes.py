# expect: ok
# The lecture's computational graph: a = 2x, b = sin y, c = a/b, d = zc, e = ln(1+d), f = tanh e.
import numpy as np


def tanh_log_grad(x, y, z):
    a = 2 * x
    b = np.sin(y)
    c = a / b
    d = z * c
    e = np.log(1 + d)
    f = np.tanh(e)
    de = 1 - f ** 2
    dd = de / (1 + d)
    dc = dd * z
    dz = dd * c
    da = dc / b
    db = -dc * a / b ** 2
    return np.float64(da * 2), np.float64(db * np.cos(y)), np.float64(dz)
