# expect: not_finite
# Stable for large negative inputs only: exp(beta x) overflows at +1000 (inf / inf).
import numpy as np


def softplus_grad(x, beta):
    e = np.exp(beta * x)
    return e / (1.0 + e)
