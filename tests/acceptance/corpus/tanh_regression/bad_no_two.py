# expect: scaled
import math


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    common = (t - y) * (1 - t * t)
    return common * x, common
