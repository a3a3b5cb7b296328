# expect: ok
# Sums the per-example gradients, one row at a time.
import numpy as np


def l2_loss_batch_grad(w, X, y):
    m, n = X.shape
    grad = np.zeros((n, 1))
    for i in range(m):
        xi = X[i].reshape(n, 1)
        r = (xi.T @ w).item() - float(y[i, 0])
        grad += r * xi
    return grad / m
