# expect: ok
# Flattens, works on a vector, and puts the shape back: right for every number of axes.
import numpy as np


def softplus_grad(x, beta):
    flat = np.asarray(x, dtype=float).reshape(-1)
    out = np.empty_like(flat)
    for k, value in enumerate(flat):
        z = beta * value
        out[k] = 1.0 / (1.0 + np.exp(-z)) if z >= 0 else np.exp(z) / (1.0 + np.exp(z))
    return out.reshape(np.shape(x))
