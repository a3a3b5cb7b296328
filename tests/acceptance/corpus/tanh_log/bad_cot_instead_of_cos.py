# expect: wrong_value
# cot(y) where cos(y) belongs in dz/dy.
import math


def tanh_log_grad(x, y, z):
    s = math.sin(y)
    u = 1 + 2 * x * z / s
    d = 4 * u / (u * u + 1) ** 2
    return (d * 2 * z / s, d * (-2 * x * z / (math.tan(y) * s**2)), d * 2 * x / s)  # cot(y), not cos(y)
