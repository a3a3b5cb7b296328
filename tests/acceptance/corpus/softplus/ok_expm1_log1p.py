# expect: ok
# exp(t - log(1 + e^t)) with the log written stably (max(t, 0) + log1p(e^-|t|)).
import numpy as np


def softplus_grad(x, beta):
    # f'(x) = exp(beta x - log(1 + exp(beta x))), the log in a stable form
    t = beta * x
    log1p_exp = np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))
    return np.exp(t - log1p_exp)
