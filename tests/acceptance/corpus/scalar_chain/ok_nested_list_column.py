# expect: ok
# The gradient column of the notes written as a nested list, [[dy/dx], [dy/dz]].
import math


def scalar_chain_grad(x, z):
    L = math.log(x)
    e = math.exp(x * z)
    dx = z * e + z * (L - 1) / L ** 2 + (math.cos(L) - math.sin(L)) / (x * x * z)
    dz = x * e + x / L - math.sin(L) / (x * z * z)
    return [[dx], [dz]]
