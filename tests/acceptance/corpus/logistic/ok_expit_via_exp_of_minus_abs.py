# expect: ok
# sigma(-m) from e^-|m|, chosen by the sign of m.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = (y * (w.T @ x)).item()
    e = np.exp(-abs(m))
    sigma_minus_m = e / (1 + e) if m >= 0 else 1 / (1 + e)
    return w + (-lam * y * sigma_minus_m) * x
