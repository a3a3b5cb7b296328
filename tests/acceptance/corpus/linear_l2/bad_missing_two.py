# expect: scaled
# Forgot the 2 from the square.
import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": r @ x.T, "b": r, "x": W.T @ r}
