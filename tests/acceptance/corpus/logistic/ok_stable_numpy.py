# expect: ok
# dL/dw = w - lam * y * sigma(-y w^T x) * x, with sigma evaluated without overflow.
import numpy as np


def _sigmoid(u):
    e = np.exp(-abs(u))
    return 1 / (1 + e) if u >= 0 else e / (1 + e)


def logistic_loss_grad(w, x, y, lam):
    u = y * float((w.T @ x)[0, 0])
    return w - lam * y * _sigmoid(-u) * x
