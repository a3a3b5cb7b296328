# expect: ok
# Computes in float32 (a student who "saves memory"); the formula is right.
import numpy as np


def sigmoid_grad(x):
    x32 = x.astype(np.float32)
    s = np.float32(0.5) * (np.float32(1) + np.tanh(x32 / np.float32(2)))
    return s * (np.float32(1) - s)
