# expect: ok
# Probabilities through log-sum-exp, outer products with einsum.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.where(z > 0, z, 0.0)
    theta = U @ h + b2
    top = theta.max()
    log_p = theta - (top + np.log(np.exp(theta - top).sum()))
    delta = np.exp(log_p) - y
    back = np.einsum("ki,kj->ij", U, delta) * (z > 0)
    return {
        "U": np.einsum("i,j->ij", delta[:, 0], h[:, 0]),
        "b2": delta,
        "W": np.einsum("i,j->ij", back[:, 0], x[:, 0]),
        "b1": back,
        "x": np.einsum("ij,ik->jk", W, back),
    }
