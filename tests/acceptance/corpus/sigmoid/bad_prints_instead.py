# expect: wrong_type
# Prints the answer and forgets to return it (returns None).
import numpy as np


def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x))
    print(s * (1 - s))
