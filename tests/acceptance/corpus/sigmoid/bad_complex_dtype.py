# expect: wrong_type
# message: complex number
# Goes through complex numbers and returns a complex array whose imaginary part is zero.
import numpy as np


def sigmoid_grad(x):
    z = np.asarray(x, dtype=complex)
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)
