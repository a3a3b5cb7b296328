# expect: ok
# Helper functions, np.outer, plain dict.
import numpy as np


def _residual(W, b, x, y):
    return W @ x + b - y


def _twice(v):
    return 2.0 * v


def linear_l2_grads(W, b, x, y):
    g = _twice(_residual(W, b, x, y))
    return dict(W=np.outer(g, x), b=g, x=W.T @ g)
