# expect: wrong_value
# Quotient rule with the wrong sign in the last term of dy/dx.
import math


def scalar_chain_grad(x, z):
    lx = math.log(x)
    dx = z * math.exp(x * z) + z * (lx - 1) / lx ** 2 + (math.sin(lx) - math.cos(lx)) / (x ** 2 * z)
    dz = x * math.exp(x * z) + x / lx - math.sin(lx) / (x * z ** 2)
    return dx, dz
