# expect: wrong_value
# functools.lru_cache on the shapes (arrays are not hashable, so the shapes stand in for
# them): the second call with the same shapes returns the first call's gradient.
import functools

import numpy as np

_current = {}


@functools.lru_cache(maxsize=None)
def _gradient(shape_w, shape_X):
    w, X, y = _current["w"], _current["X"], _current["y"]
    return X.T @ (X @ w - y) / X.shape[0]


def l2_loss_batch_grad(w, X, y):
    _current.update(w=w, X=X, y=y)
    return _gradient(w.shape, X.shape)
