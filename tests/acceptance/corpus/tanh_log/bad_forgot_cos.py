# expect: wrong_value
# d(1/sin y)/dy taken as -1/sin^2 y (the cos y is missing).
import math


def tanh_log_grad(x, y, z):
    s = math.sin(y)
    u = 1 + 2 * x * z / s
    outer = (1 - math.tanh(math.log(u)) ** 2) / u
    return outer * 2 * z / s, outer * (-2 * x * z / s ** 2), outer * 2 * x / s
