# expect: exception
# Works column by column (x[:, j]): right for matrices and for three axes, not for a vector,
# though the statement says any shape.
import numpy as np


def softplus_grad(x, beta):
    out = np.empty_like(x, dtype=float)
    for j in range(x.shape[1]):
        out[:, j] = 0.5 * (1.0 + np.tanh(0.5 * beta * x[:, j]))
    return out
