# expect: ok
# np.seterr(all='raise') and warnings as errors, with a form that never overflows.
import warnings

import numpy as np

np.seterr(all="raise")  # be loud about any floating-point trouble
warnings.simplefilter("error")


def sigmoid_grad(x):
    t = np.tanh(0.5 * x)  # never overflows
    return 0.25 * (1.0 - t) * (1.0 + t)
