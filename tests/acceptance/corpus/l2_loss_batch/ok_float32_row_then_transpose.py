# expect: ok
# float32 inputs, an int count of examples, result float32 (1, n) transposed to (n, 1).
import numpy as np


def l2_loss_batch_grad(w, X, y):
    X32, w32, y32 = X.astype(np.float32), w.astype(np.float32), y.astype(np.float32)
    m = np.int64(X.shape[0])
    return ((X32 @ w32 - y32).T @ X32).T / m
