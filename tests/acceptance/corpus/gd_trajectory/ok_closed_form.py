# expect: ok
# w_t - 100 = (1 - alpha)^t (w_0 - 100), so w_t = 100 (1 - (1 - alpha)^t).
import numpy as np


def gd_iterates(alpha, steps):
    t = np.arange(steps + 1)
    return 100.0 * (1.0 - (1.0 - alpha) ** t)
