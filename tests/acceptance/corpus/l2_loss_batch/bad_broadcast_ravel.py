# expect: wrong_shape
# (m,1) - (m,) broadcasts to (m,m): the result is (n, m).
import numpy as np


def l2_loss_batch_grad(w, X, y):
    return X.T @ (X @ w - y.ravel()) / X.shape[0]
