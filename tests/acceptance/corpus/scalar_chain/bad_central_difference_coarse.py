# expect: wrong_value
# A central difference with h = 0.05 instead of the derivative: about 1e-3 off.
import math


def _f(x, z):
    return math.exp(x * z) + x * z / math.log(x) + math.sin(math.log(x)) / (x * z)


def scalar_chain_grad(x, z):
    h = 0.05  # a finite difference with a large step: not the derivative
    return (_f(x + h, z) - _f(x - h, z)) / (2 * h), (_f(x, z + h) - _f(x, z - h)) / (2 * h)
