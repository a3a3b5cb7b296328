# expect: ok
# The textbook form: exp(-x) overflows to inf at x = -1000, but 1/(1+inf) = 0 is the right limit,
# so the answer stays finite and correct (numpy only warns).
import numpy as np


def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)
