# expect: wrong_value
# A leaky ReLU (slope 0.01): not the network of the statement, off by about 1 %.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.where(z > 0, z, 0.01 * z)  # leaky ReLU: not the network of the statement
    theta = U @ h + b2
    p = np.exp(theta - theta.max())
    p /= p.sum()
    d_theta = p - y
    d_z = (U.T @ d_theta) * np.where(z > 0, 1.0, 0.01)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}
