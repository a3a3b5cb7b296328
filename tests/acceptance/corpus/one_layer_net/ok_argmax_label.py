# expect: ok
# dJ/dtheta = softmax(theta) - y, written as "subtract 1 at the true class".
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    active = z > 0
    h = z * active
    theta = U @ h + b2
    p = np.exp(theta - np.max(theta))
    p /= np.sum(p)
    d_theta = p.copy()
    d_theta[int(np.argmax(y)), 0] -= 1.0
    d_z = (U.T @ d_theta) * active
    return {"U": np.outer(d_theta, h), "b2": d_theta, "W": np.outer(d_z, x), "b1": d_z, "x": W.T @ d_z}
