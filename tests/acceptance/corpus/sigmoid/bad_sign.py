# expect: sign_flipped
import numpy as np


def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x))
    return s * (s - 1)
