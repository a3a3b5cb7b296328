# expect: exception
# Loops over rows and columns: right for a matrix only, though the statement says any shape (a hidden
# trial has three axes).
import math

import numpy as np


def sigmoid_grad(x):
    rows, cols = x.shape[0], x.shape[-1]
    out = np.zeros_like(x)
    for i in range(rows):
        for j in range(cols):
            s = 0.5 * (1 + math.tanh(0.5 * x[i, j]))
            out[i, j] = s * (1 - s)
    return out
