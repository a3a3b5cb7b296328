# expect: transposed
import numpy as np


def l2_loss_batch_grad(w, X, y):
    return (X @ w - y).T @ X / X.shape[0]
