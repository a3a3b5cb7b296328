# expect: wrong_type
# Returns only dy/dx.
import math


def scalar_chain_grad(x, z):
    lx = math.log(x)
    return z * math.exp(x * z) + z * (lx - 1) / lx ** 2 + (math.cos(lx) - math.sin(lx)) / (x ** 2 * z)
