# expect: ok
# The two partial derivatives returned as one 1-D array of two numbers, not a tuple.
import math

import numpy as np


def scalar_chain_grad(x, z):
    lx = math.log(x)
    dx = z * math.exp(x * z) + z / lx - z / lx ** 2 + (math.cos(lx) - math.sin(lx)) / (x * x * z)
    dz = x * math.exp(x * z) + x / lx - math.sin(lx) / (x * z * z)
    return np.array([dx, dz])
