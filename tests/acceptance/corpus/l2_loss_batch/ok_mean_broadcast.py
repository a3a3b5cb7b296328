# expect: ok
# Mean of residual * row over the batch, kept as a column.
import numpy as np


def l2_loss_batch_grad(w, X, y):
    r = X @ w - y
    return np.mean(r * X, axis=0, keepdims=True).T
