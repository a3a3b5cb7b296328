# expect: ok
# A generator fed to np.fromiter.
import numpy as np


def gd_iterates(alpha, steps):
    def gen():
        w = 0.0
        yield w
        for _ in range(steps):
            w -= alpha * (w - 100.0)
            yield w
    return np.fromiter(gen(), dtype=float, count=steps + 1)
