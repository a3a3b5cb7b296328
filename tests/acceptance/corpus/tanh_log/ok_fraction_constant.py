# expect: ok
# fractions.Fraction for the constant 2, floats for the rest: the result is floats.
from fractions import Fraction
import math


def tanh_log_grad(x, y, z):
    two = float(Fraction(2, 1))
    s, c = math.sin(y), math.cos(y)
    u = 1 + two * x * z / s
    t = math.tanh(math.log(u))
    k = (1 - t * t) / u
    return k * two * z / s, -k * two * x * z * c / (s * s), k * two * x / s
