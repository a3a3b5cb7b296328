# expect: ok
import math


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    common = -2 * (y - t) * (1 - t * t)
    return common * x, common
