# expect: ok
# A generator of per-example gradients, summed and divided by m = len(y).
import numpy as np
def l2_loss_batch_grad(w, X, y):
    m = len(y)
    return sum(X[i:i+1].T * (X[i:i+1] @ w - y[i:i+1]) for i in range(m)) / m
