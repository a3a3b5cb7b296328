# expect: ok
# d/du log sigma(u) = 1 - sigma(u) = exp(-logaddexp(0, u)).
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = y * np.sum(w * x)
    return w - lam * y * np.exp(-np.logaddexp(0.0, u)) * x
