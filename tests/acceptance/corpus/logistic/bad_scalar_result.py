# expect: wrong_shape
# Returned the loss, a (1,1) array, instead of its gradient.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = y * (w.T @ x)
    return 0.5 * (w.T @ w) + lam * np.logaddexp(0.0, -u)
