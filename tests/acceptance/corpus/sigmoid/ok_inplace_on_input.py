# expect: ok
# Overwrites its argument in place and returns it (a view of the input): judged on the value.
import numpy as np


def sigmoid_grad(x):
    np.multiply(x, 0.5, out=x)
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5          # x is now sigma(x)
    x *= 1.0 - x
    return x
