# expect: ok
# sigma(-m) as exp(-logaddexp(0, m)): no exponential overflows for either sign.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = y * float(np.squeeze(w.T @ x))
    one_minus_sigma = np.exp(-np.logaddexp(0.0, m))  # sigma(-m) = 1 / (1 + e^m), in logs
    return w - lam * y * one_minus_sigma * x
