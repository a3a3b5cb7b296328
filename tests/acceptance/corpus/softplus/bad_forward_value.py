# expect: wrong_value
# Returns f(x) itself, not f'(x).
import numpy as np


def softplus_grad(x, beta):
    t = beta * x
    return (np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))) / beta  # f(x) itself
