# expect: wrong_value
# A mutable default argument as a memo keyed on the shapes: stale once a shape comes back.
import numpy as np


def linear_l2_grads(W, b, x, y, _memo={}):
    key = (W.shape, x.shape)
    if key not in _memo:
        r = W @ x + b - y
        _memo[key] = {"W": 2 * r @ x.T, "b": 2 * r, "x": 2 * W.T @ r}
    return _memo[key]
