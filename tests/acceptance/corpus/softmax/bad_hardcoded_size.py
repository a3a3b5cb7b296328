# expect: wrong_shape
# Hard-codes the visible trial's size: the hidden trials use other sizes.
import numpy as np


def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    J = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            J[i, j] = s[i, 0] * ((i == j) - s[j, 0])
    return J
