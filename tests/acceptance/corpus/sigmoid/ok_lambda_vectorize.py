# expect: ok
# A lambda per element, split by sign so that no exponential overflows.
import math

import numpy as np

_stable = lambda v: math.exp(-v) / (1.0 + math.exp(-v)) ** 2 if v >= 0 else math.exp(v) / (1.0 + math.exp(v)) ** 2
sigmoid_grad = lambda x: np.vectorize(_stable, otypes=[float])(x)
