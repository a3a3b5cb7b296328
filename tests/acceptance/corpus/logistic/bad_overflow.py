# expect: not_finite
# 1 - sigma(u) written as e^{-u} / (1 + e^{-u}): inf/inf at u = -1000.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = y * (w.T @ x)
    e = np.exp(-u)
    return w - lam * y * (e / (1 + e)) * x
