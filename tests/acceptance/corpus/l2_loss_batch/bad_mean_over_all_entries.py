# expect: scaled
# A mean over the examples, then a stray n/m: the factor is named as a ratio of the sizes.
import numpy as np


def l2_loss_batch_grad(w, X, y):
    r = X @ w - y
    return np.mean(X * r, axis=0, keepdims=True).T * X.shape[1] / X.shape[0]  # divides by m twice, times n
