# expect: wrong_value
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h  # b2 forgotten in the forward pass
    p = np.exp(theta - theta.max())
    p /= p.sum()
    d_theta = p - y
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}
