# expect: sign_flipped
import numpy as np


def l2_loss_batch_grad(w, X, y):
    return X.T @ (y - X @ w) / len(X)
