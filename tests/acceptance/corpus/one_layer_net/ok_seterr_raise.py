# expect: ok
# np.seterr(all='raise'): the log-softmax is clipped at -700 so that nothing underflows.
import numpy as np

np.seterr(all="raise")


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    shifted = np.maximum(theta - theta.max(), -700.0)
    p = np.exp(shifted)
    p /= p.sum()
    d_theta = p - y
    d_z = (U.T @ d_theta) * (z > 0)
    return {"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}
