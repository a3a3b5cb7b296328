# expect: wrong_value
# An integer array silently truncates every iterate.
import numpy as np


def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1, dtype=int)
    for t in range(steps):
        w[t + 1] = w[t] - alpha * (w[t] - 100)
    return w
