# expect: wrong_type
# message: Python objects
# Formats each iterate as text in an object array.
import numpy as np


def gd_iterates(alpha, steps):
    w, out = 0.0, ["0.0"]
    for _ in range(steps):
        w -= alpha * (w - 100.0)
        out.append(f"{w:.6f}")
    return np.array(out, dtype=object)
