# expect: wrong_type
# message: a set; expected a tuple of 2 values
# A set has no order: which number is which derivative?
import math


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    d_b = -2.0 * (y - t) * (1.0 - t * t)
    return {d_b * x, d_b}
