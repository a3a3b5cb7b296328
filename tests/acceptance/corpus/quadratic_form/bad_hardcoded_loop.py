# expect: wrong_shape
# Loops over range(4), the visible trial's size: on this file's hidden trials n is larger, so
# the answer keeps the visible shape (4, 1) (where n is smaller, it raises an IndexError).
import numpy as np


def quadratic_form_grad(x, A, z):
    g = np.zeros((4, 1))
    for i in range(4):
        for j in range(4):
            g[i, 0] += (A[i, j] + A[j, i]) * x[j, 0]
        g[i, 0] += z[i, 0]
    return g
