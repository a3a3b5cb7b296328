# expect: ok
# Product rule: d/dx [x^T u] with u = Ax + z gives u + A^T x.
import numpy as np


def quadratic_form_grad(x, A, z):
    u = np.einsum("ij,jk->ik", A, x) + z
    return u + np.einsum("ji,jk->ik", A, x)
