# expect: wrong_value
# message: swapped
# Returns (dy/dz, dy/dx): the order is swapped.
import math


def scalar_chain_grad(x, z):
    lx = math.log(x)
    dx = z * math.exp(x * z) + z * (lx - 1) / lx ** 2 + (math.cos(lx) - math.sin(lx)) / (x ** 2 * z)
    dz = x * math.exp(x * z) + x / lx - math.sin(lx) / (x * z ** 2)
    return dz, dx
