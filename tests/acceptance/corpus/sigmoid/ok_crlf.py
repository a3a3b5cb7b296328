# expect: ok
# Saved with Windows line endings (CRLF).
import numpy as np


def sigmoid_grad(x):
    t = np.tanh(0.5 * x)
    return (1 - t) * (1 + t) / 4
