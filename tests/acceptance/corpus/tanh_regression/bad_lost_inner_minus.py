# expect: sign_flipped
# d(y - tanh)/d(tanh) = -1 is forgotten.
import math


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    common = 2 * (y - t) * (1 - t * t)
    return common * x, common
