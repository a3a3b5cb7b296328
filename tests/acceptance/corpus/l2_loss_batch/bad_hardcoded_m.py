# expect: wrong_value
# Divides by the visible trial's batch size instead of m = X.shape[0].
import numpy as np


def l2_loss_batch_grad(w, X, y):
    return X.T @ (X @ w - y) / 6.0
