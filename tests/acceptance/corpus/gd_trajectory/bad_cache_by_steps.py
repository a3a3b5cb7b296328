# expect: wrong_value
# Remembers the iterates by the number of steps only: another learning rate with the same
# number of steps gets the old trajectory back.
import numpy as np

_RUNS = {}


def gd_iterates(alpha, steps):
    if steps not in _RUNS:
        w = [0.0]
        for _ in range(steps):
            w.append(w[-1] - alpha * (w[-1] - 100.0))
        _RUNS[steps] = np.array(w)
    return _RUNS[steps]
