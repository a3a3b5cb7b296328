# expect: wrong_value
# message: without the bias
# The ReLU mask computed from W x alone.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    p = e / e.sum()
    d2 = p - y
    d1 = (U.T @ d2) * (W @ x > 0)
    return {"W": d1 @ x.T, "b1": d1, "U": d2 @ h.T, "b2": d2, "x": W.T @ d1}
