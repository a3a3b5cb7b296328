# expect: sign_flipped
import numpy as np


def softplus_grad(x, beta):
    return -0.5 * (1 + np.tanh(0.5 * beta * x))
