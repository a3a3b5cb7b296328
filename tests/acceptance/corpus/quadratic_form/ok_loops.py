# expect: ok
# df/dx_k = sum_j A_kj x_j + sum_i x_i A_ik + z_k
import numpy as np


def quadratic_form_grad(x, A, z):
    n = x.shape[0]
    g = np.zeros((n, 1))
    for k in range(n):
        total = z[k, 0]
        for j in range(n):
            total += A[k, j] * x[j, 0] + x[j, 0] * A[j, k]
        g[k, 0] = total
    return g
