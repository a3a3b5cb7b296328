# expect: scaled
# Divides by the number of features n = X.shape[1] instead of the number of examples m.
import numpy as np


def l2_loss_batch_grad(w, X, y):
    return X.T @ (X @ w - y) / X.shape[1]
