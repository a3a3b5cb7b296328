# expect: wrong_value
# Uses the learning rate 0.5 from the notes instead of alpha.
import numpy as np


def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = w[t] - 0.5 * (w[t] - 100.0)
    return w
