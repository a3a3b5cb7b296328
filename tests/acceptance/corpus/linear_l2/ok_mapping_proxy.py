# expect: ok
# A read-only mapping of the three gradients: a dict in every way the statement needs.
import types

import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return types.MappingProxyType({"W": 2 * r @ x.T, "b": 2 * r, "x": 2 * W.T @ r})  # read-only dict view
