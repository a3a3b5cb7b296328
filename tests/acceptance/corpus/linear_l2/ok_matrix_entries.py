# expect: ok
# Each entry an np.matrix.
import numpy as np


def linear_l2_grads(W, b, x, y):
    W, b, x, y = map(np.matrix, (W, b, x, y))
    r = W * x + b - y
    return {"W": 2 * r * x.T, "b": 2 * r, "x": 2 * W.T * r}
