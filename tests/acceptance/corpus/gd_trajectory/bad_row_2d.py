# expect: wrong_shape
# A (1, steps + 1) row.
import numpy as np


def gd_iterates(alpha, steps):
    w = [0.0]
    for _ in range(steps):
        w.append(w[-1] - alpha * (w[-1] - 100.0))
    return np.array([w])
