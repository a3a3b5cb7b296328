# expect: transposed
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = y * (w.T @ x)
    g = w - lam * y * (0.5 * (1 - np.tanh(u / 2))) * x
    return g.T
