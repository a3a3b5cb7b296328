# expect: scaled
# Kept the 1/beta in front but forgot the chain-rule beta from e^{beta x}.
import numpy as np


def softplus_grad(x, beta):
    return (1 / beta) * 0.5 * (1 + np.tanh(0.5 * beta * x))
