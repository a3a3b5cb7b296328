# expect: ok
# Computes in float32 throughout (full marks: float32 round-off is far below the tolerance).
import numpy as np


def sigmoid_grad(x):
    x32 = np.asarray(x, dtype=np.float32)
    s = np.float32(0.5) * (np.float32(1) + np.tanh(np.float32(0.5) * x32))
    return s * (np.float32(1) - s)
