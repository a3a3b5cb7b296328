# expect: wrong_type
# A tuple in parameter order instead of the dict the statement asks for.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d2 = e / e.sum() - y
    d1 = (U.T @ d2) * (z > 0)
    return W.T @ d1, d1 @ x.T, d1, d2 @ h.T, d2
