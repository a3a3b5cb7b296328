# expect: ok
# Each derivative as a 0-d float32 array (np.asarray of a scalar).
import numpy as np


def scalar_chain_grad(x, z):
    lx = np.log(x)
    e = np.exp(x * z)
    dx = z * e + z * (lx - 1) / lx ** 2 + (np.cos(lx) - np.sin(lx)) / (x * x * z)
    dz = x * e + x / lx - np.sin(lx) / (x * z * z)
    return np.asarray(dx, dtype=np.float32), np.asarray(dz, dtype=np.float32)
