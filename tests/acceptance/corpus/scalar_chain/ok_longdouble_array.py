# expect: ok
# One array of two longdouble numbers.
import numpy as np


def scalar_chain_grad(x, z):
    x, z = np.longdouble(x), np.longdouble(z)
    lx = np.log(x)
    e = np.exp(x * z)
    dx = z * e + z * (lx - 1) / lx ** 2 + (np.cos(lx) - np.sin(lx)) / (x * x * z)
    dz = x * e + x / lx - np.sin(lx) / (x * z * z)
    return np.array([dx, dz])
