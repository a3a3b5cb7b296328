# expect: wrong_shape
# message: 1-D array
# Iterates as a column (steps + 1, 1): told to return a 1-D array, never about gradient layouts.
import numpy as np


def gd_iterates(alpha, steps):
    w = np.zeros((steps + 1, 1))
    for t in range(steps):
        w[t + 1] = w[t] - alpha * (w[t] - 100.0)
    return w
