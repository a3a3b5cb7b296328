# expect: wrong_type
import math


def scalar_chain_grad(x, z):
    lx = math.log(x)
    dx = z * math.exp(x * z) + z * (lx - 1) / lx ** 2 + (math.cos(lx) - math.sin(lx)) / (x ** 2 * z)
    dz = x * math.exp(x * z) + x / lx - math.sin(lx) / (x * z ** 2)
    return f"({dx:.6f}, {dz:.6f})"
