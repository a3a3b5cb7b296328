# expect: wrong_value
# message: float16, which keeps only about 3 significant digits
# Computes in float16: about 3 significant digits, far from the tolerance.
import numpy as np


def sigmoid_grad(x):
    h = np.asarray(x, dtype=np.float16)
    s = np.float16(0.5) * (np.float16(1) + np.tanh(np.float16(0.5) * h))
    return s * (np.float16(1) - s)
