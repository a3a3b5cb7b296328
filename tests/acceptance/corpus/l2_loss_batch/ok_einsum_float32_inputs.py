# expect: ok
import numpy as np


def l2_loss_batch_grad(w, X, y):
    m = X.shape[0]
    residual = np.einsum("ij,jk->ik", X, w) - y
    return np.einsum("ij,ik->jk", X, residual) / m
