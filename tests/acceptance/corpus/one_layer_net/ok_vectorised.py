# expect: ok
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    y_hat = e / e.sum()
    delta2 = y_hat - y
    delta1 = (U.T @ delta2) * (z > 0)
    return {
        "W": delta1 @ x.T,
        "b1": delta1,
        "U": delta2 @ h.T,
        "b2": delta2,
        "x": W.T @ delta1,
    }
