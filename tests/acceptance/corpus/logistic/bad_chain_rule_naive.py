# expect: not_finite
# The lecture's chain rule step by step, p_bar = -1/p and u_bar = p_bar * sigma * (1 - sigma),
# with a naive sigma: p = 0 at u = -1000, so -1/p = -inf and -inf * 0 = nan.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    u = (y * (w.T @ x)).item()
    p = 1 / (1 + np.exp(-u))
    p_bar = -lam / p
    u_bar = p_bar * p * (1 - p)
    return w + u_bar * y * x
