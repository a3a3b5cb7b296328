# expect: wrong_value
# beta applied twice inside the exponential.
import numpy as np


def softplus_grad(x, beta):
    return 0.5 * (1.0 + np.tanh(0.5 * beta * beta * x))
