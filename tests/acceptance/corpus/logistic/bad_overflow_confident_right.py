# expect: not_finite
# Stable when misclassified, but e^m overflows for a confidently right example (m near +1000).
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = y * (w.T @ x).item()
    e = np.exp(m)
    return w - lam * y * (1.0 - e / (1.0 + e)) * x
