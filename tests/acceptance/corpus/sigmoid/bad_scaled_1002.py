# expect: wrong_value
# message: largest error
# Off by a meaningless factor 1.002 (a typo in a constant): a wrong value, not "scaled".
import numpy as np


def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return 1.002 * s * (1 - s)
