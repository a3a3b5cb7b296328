# expect: ok
import numpy as np

KEYS = np.array(["W", "b", "x"])  # numpy strings as keys


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return dict(zip(KEYS, (2 * r @ x.T, 2 * r, 2 * W.T @ r)))
