# expect: timeout
# Iterates "until convergence", which never comes for alpha >= 2.
import numpy as np


def gd_iterates(alpha, steps):
    w = 0.0
    history = [w]
    while abs(w - 100.0) > 1e-9 or len(history) < steps + 1:
        w -= alpha * (w - 100.0)
        history.append(w)
        if not np.isfinite(w):
            w = 0.0
    return np.array(history[: steps + 1])
