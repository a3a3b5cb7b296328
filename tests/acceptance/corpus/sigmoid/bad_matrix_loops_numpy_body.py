# expect: exception
# Loops over rows and columns with a numpy body: three axes still work (x[i, j] is then a row,
# and the body is elementwise), but the statement says any shape, and a vector has no columns.
import numpy as np


def sigmoid_grad(x):
    out = np.empty_like(x, dtype=float)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            s = 0.5 * (1.0 + np.tanh(0.5 * x[i, j]))
            out[i, j] = s * (1.0 - s)
    return out
