# expect: ok
import numpy as np


def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1)
    for t in range(steps):
        grad = w[t] - 100.0
        w[t + 1] = w[t] - alpha * grad
    return w
