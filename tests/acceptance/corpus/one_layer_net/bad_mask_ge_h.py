# expect: wrong_value
# The mask is computed from h >= 0, which is always true: no ReLU derivative.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d = e / e.sum() - y
    dz = (U.T @ d) * (h >= 0)
    return {"W": dz @ x.T, "b1": dz, "U": d @ h.T, "b2": d, "x": W.T @ dz}
