# expect: wrong_value
# Memoises on id(x), as if the same array always held the same values: a caller that
# refills its buffers (the grader does, between two calls of one shape) gets a stale gradient.
import numpy as np

_SEEN = {}


def l2_loss_grad(w, x, y):
    key = (id(w), id(x))
    if key not in _SEEN:
        _SEEN[key] = ((w.T @ x).item() - y) * x
    return _SEEN[key]
