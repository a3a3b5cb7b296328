# expect: ok
# dict() from (key, value) pairs, keys in another order, np.outer for the weights.
import numpy as np
def linear_l2_grads(W, b, x, y):
    g = 2 * (W @ x + b - y)
    return dict([("x", W.T @ g), ("b", g), ("W", np.outer(g, x))])
