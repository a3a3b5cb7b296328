# expect: ok
# Index by index with the math module, with a log-sum-exp softmax.
import math

import numpy as np


def one_layer_net_grads(x, y, W, b1, U, b2):
    dh, dx = W.shape
    nc = U.shape[0]
    z = [sum(W[i, k] * x[k, 0] for k in range(dx)) + b1[i, 0] for i in range(dh)]
    h = [v if v > 0 else 0.0 for v in z]
    theta = [sum(U[c, i] * h[i] for i in range(dh)) + b2[c, 0] for c in range(nc)]
    top = max(theta)
    log_norm = top + math.log(sum(math.exp(t - top) for t in theta))
    d2 = [math.exp(theta[c] - log_norm) - y[c, 0] for c in range(nc)]
    d1 = [sum(U[c, i] * d2[c] for c in range(nc)) * (1.0 if z[i] > 0 else 0.0) for i in range(dh)]
    gW = np.zeros((dh, dx))
    gU = np.zeros((nc, dh))
    for i in range(dh):
        for k in range(dx):
            gW[i, k] = d1[i] * x[k, 0]
    for c in range(nc):
        for i in range(dh):
            gU[c, i] = d2[c] * h[i]
    gx = np.array([[sum(W[i, k] * d1[i] for i in range(dh))] for k in range(dx)])
    return {"W": gW, "b1": np.array(d1).reshape(dh, 1), "U": gU,
            "b2": np.array(d2).reshape(nc, 1), "x": gx}
