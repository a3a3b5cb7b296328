# expect: wrong_shape
# Leaves out w_0.
import numpy as np


def gd_iterates(alpha, steps):
    w, out = 0.0, []
    for _ in range(steps):
        w -= alpha * (w - 100.0)
        out.append(w)
    return np.array(out)
