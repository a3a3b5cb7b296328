# expect: wrong_value
# The gradient of L written as (y - xw): gradient ascent.
import numpy as np


def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = w[t] - alpha * (100.0 - w[t])
    return w
