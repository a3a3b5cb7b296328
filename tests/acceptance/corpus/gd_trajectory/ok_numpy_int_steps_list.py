# expect: ok
# A plain list of numpy scalars, built with a generator.
import numpy as np


def gd_iterates(alpha, steps):
    w = np.float64(0.0)
    out = [w]
    for _ in range(int(steps)):
        w = w - alpha * (1.0 * w - 100.0) * 1.0
        out.append(w)
    return np.array(out)
