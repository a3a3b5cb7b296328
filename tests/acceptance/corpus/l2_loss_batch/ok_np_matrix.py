# expect: ok
# np.matrix throughout; X.T * (X w - y) / m.
import numpy as np


def l2_loss_batch_grad(w, X, y):
    X, w, y = np.matrix(X), np.matrix(w), np.matrix(y)
    return X.T * (X * w - y) / X.shape[0]
