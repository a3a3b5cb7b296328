# expect: wrong_value
# beta truncated to an int: right only where beta happens to be a whole number.
import numpy as np


def softplus_grad(x, beta):
    b = int(beta)  # beta is a float: truncated
    return 0.5 * (1.0 + np.tanh(0.5 * b * x))
