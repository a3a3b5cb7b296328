# expect: wrong_value
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = y * (w.T @ x)
    return -lam * y * (0.5 * (1 - np.tanh(u / 2))) * x
