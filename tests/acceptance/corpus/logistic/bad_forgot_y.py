# expect: wrong_value
# Dropped the label y (right only when y = +1).
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = w.T @ x
    return w - lam * (0.5 * (1 - np.tanh(u / 2))) * x
