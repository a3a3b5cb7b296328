# expect: wrong_shape
# Always six steps, the visible trial's number.
import numpy as np


def gd_iterates(alpha, steps):
    w = [0.0]
    for _ in range(6):
        w.append(w[-1] - alpha * (w[-1] - 100.0))
    return np.array(w)
