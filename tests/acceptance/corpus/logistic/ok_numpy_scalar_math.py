# expect: ok
# Works with numpy scalars (np.float64) and np.dot, splitting by the sign of the margin.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = np.float64(y) * np.dot(w.ravel(), x.ravel())
    if m >= 0:
        s = np.exp(-m) / (1.0 + np.exp(-m))
    else:
        s = 1.0 / (1.0 + np.exp(m))
    return w - lam * y * s * x
