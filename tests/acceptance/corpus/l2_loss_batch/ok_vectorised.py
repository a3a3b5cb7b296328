# expect: ok
import numpy as np


def l2_loss_batch_grad(w, X, y):
    m = X.shape[0]
    return X.T @ (X @ w - y) / m
