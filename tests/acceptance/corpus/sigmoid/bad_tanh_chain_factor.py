# expect: scaled
# Forgot the inner derivative 1/2 of tanh(x/2): twice the right value.
import numpy as np


def sigmoid_grad(x):
    return 0.5 * (1 - np.tanh(x / 2) ** 2)
