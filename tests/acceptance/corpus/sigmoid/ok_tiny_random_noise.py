# expect: ok
# Adds noise of relative size 1e-9 with np.random: well inside the tolerance.
import numpy as np


def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s) * (1 + 1e-9 * np.random.standard_normal(x.shape))
