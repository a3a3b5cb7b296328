# expect: wrong_value
# The ReLU mask taken from the sign of b1 instead of z = W x + b1.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    p = np.exp(theta - theta.max())
    p /= p.sum()
    d_theta = p - y
    d_z = (U.T @ d_theta) * (b1 > 0)  # the bias decides which units are on?
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}
