# expect: ok
# The two partials rounded through decimal.Decimal (28 significant digits).
import math
from decimal import Decimal


def scalar_chain_grad(x, z):
    lx = math.log(x)
    e = math.exp(x * z)
    dx = z * e + z * (lx - 1) / lx ** 2 + (math.cos(lx) - math.sin(lx)) / (x * x * z)
    dz = x * e + x / lx - math.sin(lx) / (x * z * z)
    return Decimal(dx), Decimal(dz)
