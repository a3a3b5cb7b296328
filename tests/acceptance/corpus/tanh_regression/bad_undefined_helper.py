# expect: exception
import math


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    common = -2 * (y - t) * sech(w * x + b) ** 2  # noqa: F821 -- sech is not defined anywhere
    return common * x, common
