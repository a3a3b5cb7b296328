# expect: wrong_value
# Uses sigma(x) instead of sigma(beta x).
import numpy as np


def softplus_grad(x, beta):
    return 0.5 * (1 + np.tanh(0.5 * x))
