# expect: sign_flipped
import numpy as np


def linear_l2_grads(W, b, x, y):
    r = y - (W @ x + b)
    return {"W": 2 * r @ x.T, "b": 2 * r, "x": 2 * W.T @ r}
