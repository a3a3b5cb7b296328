# expect: wrong_value
# message: is 0 everywhere
# A placeholder left in: zero everywhere, told so (never "off by a factor 0").
import numpy as np


def sigmoid_grad(x):
    return np.zeros(x.shape)
