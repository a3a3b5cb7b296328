# expect: ok
# Splits by the sign of beta x with np.where on clipped arguments (no overflow warnings matter).
import numpy as np


def softplus_grad(x, beta):
    t = beta * x
    neg = np.exp(np.minimum(t, 0.0))
    pos = np.exp(-np.maximum(t, 0.0))
    return np.where(t >= 0, 1.0 / (1.0 + pos), neg / (1.0 + neg))
