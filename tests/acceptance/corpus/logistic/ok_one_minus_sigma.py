# expect: ok
# 1 - sigma(m) with sigma = 1 / (1 + e^-m): overflows to inf inside, but the result stays finite.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = y * (w.T @ x).item()
    with np.errstate(over="ignore"):
        sig = 1.0 / (1.0 + np.exp(-m))
    return w - lam * (1.0 - sig) * y * x
