# expect: ok
# A list of numpy float32 iterates (alpha and the target are exact in float32 to the tolerance).
import numpy as np


def gd_iterates(alpha, steps):
    w = np.float32(0)
    out = [w]
    for _ in range(steps):
        w = w - np.float32(alpha) * (w - np.float32(100))
        out.append(w)
    return out
