# expect: wrong_value
# message: largest error
# A wrong factor on the upstream gradient makes dW, db1 and dx proportional to the right ones
# (by 1.98): a wrong value, not a meaningful scaling.
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    p = e / e.sum()
    d2 = p - y
    d1 = 1.98 * (U.T @ d2) * (z > 0)
    return {"W": d1 @ x.T, "b1": d1, "U": d2 @ h.T, "b2": d2, "x": W.T @ d1}
