# expect: ok
# Every gradient as nested Python lists (ndarray.tolist()).
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    p = np.exp(theta - theta.max())
    p /= p.sum()
    d_theta = p - y
    d_z = np.where(z > 0, U.T @ d_theta, 0.0)
    grads = {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}
    return {name: value.tolist() for name, value in grads.items()}  # nested lists
