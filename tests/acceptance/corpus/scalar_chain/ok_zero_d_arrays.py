# expect: ok
# Each derivative as a 0-d array.
import numpy as np


def scalar_chain_grad(x, z):
    x, z = np.asarray(x, dtype=float), np.asarray(z, dtype=float)
    lx = np.log(x)
    exz = np.exp(x * z)
    dx = z * exz + z / lx - z / lx ** 2 + (np.cos(lx) - np.sin(lx)) / (x * x * z)
    dz = x * exz + x / lx - np.sin(lx) / (x * z * z)
    return (np.array(dx), np.array(dz))
