# expect: scaled
# message: factor 2
# Halves the Jacobian.
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return 0.5 * (np.diagflat(s) - s @ s.T)
