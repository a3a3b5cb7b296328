# expect: wrong_value
# The sigmoid's derivative s (1 - s) where tanh's 1 - t^2 belongs.
import math


def tanh_regression_grad(w, b, x, y):
    s = 1 / (1 + math.exp(-(w * x + b)))
    d_b = -2.0 * (y - s) * s * (1 - s)
    return d_b * x, d_b
