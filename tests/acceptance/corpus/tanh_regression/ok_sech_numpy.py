# expect: ok
# tanh' = sech^2 = 1 / cosh^2, returned as 0-d arrays in a list.
import numpy as np


def tanh_regression_grad(w, b, x, y):
    a = w * x + b
    dL_da = 2 * (np.tanh(a) - y) / np.cosh(a) ** 2
    return [np.array(dL_da * x), np.array(dL_da)]
