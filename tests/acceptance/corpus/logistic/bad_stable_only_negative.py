# expect: not_finite
# Stable for a misclassified example only: inf / inf when y w^T x is near +1000.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = y * (w.T @ x).item()
    if m < 0:
        s = 1.0 / (1.0 + np.exp(m))  # sigma(-m), stable for m < 0
    else:
        s = np.exp(m) / (1.0 + np.exp(m)) ** 2 * (1 + np.exp(-m))  # inf / inf at m near +1000
    return w - lam * y * s * x
