# expect: scaled
# Scales one shared buffer in place after storing it: "b" ends up 4 r, twice the right 2 r.
import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    r *= 2
    out = {"b": r}
    r *= 2
    out["W"] = r @ x.T / 2
    out["x"] = W.T @ r / 2
    return out
