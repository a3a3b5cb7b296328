# expect: ok
# Each partial derivative as a one-item list (the notes' [1x1], as a Python list).
import math


def tanh_log_grad(x, y, z):
    s = math.sin(y)
    u = 1 + 2 * x * z / s
    d = 4 * u / (u * u + 1) ** 2  # d tanh(ln u) / du = d ((u^2 - 1) / (u^2 + 1)) / du
    return [d * 2 * z / s], [-d * 2 * x * z * math.cos(y) / s ** 2], [d * 2 * x / s]
