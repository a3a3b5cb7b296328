# expect: ok
# ReLU derivative written with >= (a subgradient choice at 0; no test point sits on the kink).
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d2 = e / e.sum() - y
    d1 = (U.T @ d2) * (z >= 0)
    return {"W": d1 @ x.T, "b1": d1, "U": d2 @ h.T, "b2": d2, "x": W.T @ d1}
