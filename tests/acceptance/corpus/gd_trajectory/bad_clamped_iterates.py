# expect: wrong_value
# Clamps the iterates "so nothing overflows": right while |w| stays under 5000, wrong once
# gradient descent diverges, which it must be seen to do.
import numpy as np


def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = np.clip(w[t] - alpha * (w[t] - 100.0), -5000.0, 5000.0)
    return w
