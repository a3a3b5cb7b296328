# expect: wrong_type
# message: complex number
# A complex logarithm (log x + 0j) leaks numpy complex scalars into the answer.
import numpy as np


def scalar_chain_grad(x, z):
    lx = np.log(x) + 0j
    e = np.exp(x * z)
    dx = z * e + z * (lx - 1) / lx ** 2 + (np.cos(lx) - np.sin(lx)) / (x * x * z)
    dz = x * e + x / lx - np.sin(lx) / (x * z * z)
    return dx, dz
