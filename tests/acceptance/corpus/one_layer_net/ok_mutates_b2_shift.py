# expect: ok
# Shifts b2 in place so the logits' max is 0 (softmax is shift-invariant), mutating its input.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    b2 -= theta.max()
    theta = U @ h + b2
    p = np.exp(theta) / np.exp(theta).sum()
    d = p - y
    dz = (U.T @ d) * (z > 0)
    return {"W": dz @ x.T, "b1": dz, "U": d @ h.T, "b2": d, "x": W.T @ dz}
