# expect: ok
# Prints its intermediate values on every call (debugging left in).
import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    p = e / e.sum()
    print("z =", z, "h =", h, "theta =", theta, "p =", p)
    print("W =", W, "U =", U)
    d = p - y
    dz = (U.T @ d) * (z > 0)
    return {"W": dz @ x.T, "b1": dz, "U": d @ h.T, "b2": d, "x": W.T @ dz}
