# expect: ok
import math

import numpy as np


def logistic_loss_grad(w, x, y, lam):
    d = w.shape[0]
    u = y * sum(w[i, 0] * x[i, 0] for i in range(d))
    if u >= 0:
        one_minus_sigma = math.exp(-u) / (1 + math.exp(-u))
    else:
        one_minus_sigma = 1 / (1 + math.exp(u))
    g = np.empty((d, 1))
    for i in range(d):
        g[i, 0] = w[i, 0] - lam * y * one_minus_sigma * x[i, 0]
    return g
