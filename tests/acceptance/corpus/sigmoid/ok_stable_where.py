# expect: ok
# Vectorised, numerically stable: only ever exponentiate -|x|.
import numpy as np


def sigmoid_grad(x):
    e = np.exp(-np.abs(x))
    s = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s * (1 - s)
