# expect: scaled
# message: factor 2
# Differentiates 1/2 ||z - y||^2 instead.
import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": r @ x.T, "b": r, "x": W.T @ r}
