# expect: ok
# Builds J[i, j] = d s_i / d x_j (numerator layout); the softmax Jacobian is
# symmetric, so this is the same matrix.
import numpy as np


def softmax_jacobian(x):
    s = np.exp(x - x.max())
    s = s / s.sum()
    n = len(s)
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            J[i, j] = s[i, 0] * ((i == j) - s[j, 0])
    return J
