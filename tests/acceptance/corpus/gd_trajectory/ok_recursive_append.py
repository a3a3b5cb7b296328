# expect: ok
# Recursion on steps with np.append.
import numpy as np
def gd_iterates(alpha, steps):
    if steps == 0:
        return np.array([0.0])
    prev = gd_iterates(alpha, steps - 1)
    return np.append(prev, prev[-1] - alpha * (prev[-1] - 100.0))
