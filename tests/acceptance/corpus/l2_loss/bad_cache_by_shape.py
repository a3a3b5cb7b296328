# expect: wrong_value
# Memoises the gradient on the shape of w: right the first time it meets a shape, stale
# (another trial's gradient) when it meets the shape again with other values.
import numpy as np

_GRADIENTS = {}


def l2_loss_grad(w, x, y):
    if w.shape not in _GRADIENTS:
        _GRADIENTS[w.shape] = ((w.T @ x).item() - y) * x
    return _GRADIENTS[w.shape]
