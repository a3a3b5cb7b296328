# expect: ok
# Scales x in place by beta before the stable sigmoid; the input is not needed afterwards.
import numpy as np


def softplus_grad(x, beta):
    x *= beta
    np.clip(x, -700, 700, out=x)
    return 1.0 / (1.0 + np.exp(-x))
