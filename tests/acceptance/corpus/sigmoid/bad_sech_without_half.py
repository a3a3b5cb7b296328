# expect: wrong_value
# sech^2(x)/4: the argument should be x/2.
import numpy as np


def sigmoid_grad(x):
    return 0.25 / np.cosh(x) ** 2  # the argument should be x / 2
