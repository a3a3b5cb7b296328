# expect: ok
# Clips the margin to [-500, 500] before a naive sigmoid: finite, and right to float64 precision.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = np.clip(y * (w.T @ x).item(), -500, 500)
    return w - lam * y * x / (1.0 + np.exp(m))
