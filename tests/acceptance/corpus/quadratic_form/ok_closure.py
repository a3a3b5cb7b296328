# expect: ok
# The graded name is a closure built by a factory.
import numpy as np


def _make():
    def grad(x, A, z):
        return A @ x + A.T @ x + z
    return grad


quadratic_form_grad = _make()
