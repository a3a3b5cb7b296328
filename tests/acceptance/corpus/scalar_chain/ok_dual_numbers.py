# expect: ok
# Forward-mode differentiation by hand with dual numbers (no library).
import math


class Dual:
    def __init__(self, value, dot):
        self.value, self.dot = value, dot

    def __add__(self, other):
        return Dual(self.value + other.value, self.dot + other.dot)

    def __mul__(self, other):
        return Dual(self.value * other.value, self.value * other.dot + self.dot * other.value)

    def __truediv__(self, other):
        return Dual(self.value / other.value, (self.dot * other.value - self.value * other.dot) / other.value**2)


def _exp(d):
    e = math.exp(d.value)
    return Dual(e, e * d.dot)


def _log(d):
    return Dual(math.log(d.value), d.dot / d.value)


def _sin(d):
    return Dual(math.sin(d.value), math.cos(d.value) * d.dot)


def _f(x, z):
    return _exp(x * z) + x * z / _log(x) + _sin(_log(x)) / (x * z)


def scalar_chain_grad(x, z):
    dx = _f(Dual(x, 1.0), Dual(z, 0.0)).dot
    dz = _f(Dual(x, 0.0), Dual(z, 1.0)).dot
    return dx, dz
