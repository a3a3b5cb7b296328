# expect: ok
import numpy as np


def linear_l2_grads(W, b, x, y):
    m, n = W.shape
    r = np.zeros(m)
    for i in range(m):
        r[i] = sum(W[i, j] * x[j, 0] for j in range(n)) + b[i, 0] - y[i, 0]
    gW = np.zeros((m, n))
    gx = np.zeros((n, 1))
    for i in range(m):
        for j in range(n):
            gW[i, j] = 2 * r[i] * x[j, 0]
            gx[j, 0] += 2 * r[i] * W[i, j]
    return {"W": gW, "b": (2 * r).reshape(m, 1), "x": gx}
