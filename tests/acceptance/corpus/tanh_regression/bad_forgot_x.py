# expect: wrong_value
# dL/dw without the inner factor x (dL/db is right).
import math


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    common = -2 * (y - t) * (1 - t * t)
    return common, common
