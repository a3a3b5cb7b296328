# expect: ok
# The graded name is a functools.partial of a more general helper.
import functools

import numpy as np


def _stable_sigmoid_grad(x, beta, threshold):
    t = beta * x
    out = np.empty_like(t)
    big = t > threshold
    out[big] = 1.0 / (1.0 + np.exp(-t[big]))
    e = np.exp(t[~big])
    out[~big] = e / (1.0 + e)
    return out


softplus_grad = functools.partial(_stable_sigmoid_grad, threshold=0.0)
