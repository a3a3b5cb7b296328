# expect: wrong_value
# lambda applied twice.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = y * (w.T @ x).item()
    return w - lam * lam * y * x * 0.5 * (1 - np.tanh(m / 2))
