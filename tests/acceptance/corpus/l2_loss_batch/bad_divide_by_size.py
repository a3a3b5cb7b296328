# expect: scaled
# Divides by X.size (m n) instead of m.
import numpy as np


def l2_loss_batch_grad(w, X, y):
    return X.T @ (X @ w - y) / X.size
