# expect: ok
# Each derivative as a (1, 1) matrix: the course notes write a scalar as [1x1].
import numpy as np


def scalar_chain_grad(x, z):
    lx = np.log(x)
    dx = z * np.exp(x * z) + z * (lx - 1) / lx ** 2 + (np.cos(lx) - np.sin(lx)) / (x ** 2 * z)
    dz = x * np.exp(x * z) + x / lx - np.sin(lx) / (x * z ** 2)
    return np.array([[dx]]), np.array([[dz]])
