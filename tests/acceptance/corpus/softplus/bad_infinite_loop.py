# expect: timeout
# A series that never stops: the loop condition is never false.
import numpy as np


def softplus_grad(x, beta):
    total = np.zeros_like(x)
    k = 0
    while True:
        total = total + 0.0 * k
        k += 1
        if k < 0:
            break
    return total
