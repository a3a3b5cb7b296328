# expect: wrong_type
# Returns (value, derivative) as a tuple where one array is expected.
import numpy as np


def softplus_grad(x, beta):
    value = np.logaddexp(0.0, beta * x) / beta
    return value, 0.5 * (1 + np.tanh(0.5 * beta * x))
