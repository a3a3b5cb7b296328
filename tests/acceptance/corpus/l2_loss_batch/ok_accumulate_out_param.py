# expect: ok
# Accumulates per example into a (n, 1) buffer with np.add(..., out=).
import numpy as np


def l2_loss_batch_grad(w, X, y):
    m, n = X.shape
    g = np.zeros((n, 1))
    for i in range(m):
        xi = X[i:i + 1].T
        np.add(g, (xi.T @ w - y[i, 0]) * xi, out=g)
    g /= m
    return g
