# expect: ok
# Every gradient as nested Python lists.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d = e / e.sum() - y
    dz = (U.T @ d) * (z > 0)
    return {k: v.tolist() for k, v in {"W": dz @ x.T, "b1": dz, "U": d @ h.T, "b2": d, "x": W.T @ dz}.items()}
