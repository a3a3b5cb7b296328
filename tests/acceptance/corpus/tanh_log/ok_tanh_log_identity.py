# expect: ok
# tanh(ln u) = (u^2 - 1) / (u^2 + 1), so d/du = 4u / (u^2 + 1)^2.
import math


def tanh_log_grad(x, y, z):
    s = math.sin(y)
    u = 1 + 2 * x * z / s
    d = 4 * u / (u * u + 1) ** 2
    return (d * 2 * z / s, d * (-2 * x * z * math.cos(y) / s**2), d * 2 * x / s)
