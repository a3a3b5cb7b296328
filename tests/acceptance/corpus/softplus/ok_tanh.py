# expect: ok
# f'(x) = sigma(beta x) = (1 + tanh(beta x / 2)) / 2: no exponential at all.
import numpy as np


def softplus_grad(x, beta):
    return 0.5 * (1.0 + np.tanh(0.5 * beta * x))
