# expect: ok
# An endless generator of iterates, cut with islice and read by np.fromiter.
import itertools

import numpy as np


def _descent(alpha):
    w = 0.0
    while True:
        yield w
        w -= alpha * (w - 100.0)


def gd_iterates(alpha, steps):
    return np.fromiter(itertools.islice(_descent(alpha), steps + 1), dtype=float)
