# expect: scaled
# Copied the 1/(2m) of the loss into the gradient.
import numpy as np


def l2_loss_batch_grad(w, X, y):
    m = len(y)
    return X.T @ (X @ w - y) / (2 * m)
