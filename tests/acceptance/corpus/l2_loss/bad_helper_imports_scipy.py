# expect: forbidden_import
# message: _numeric
# The graded function calls a helper that imports scipy: refused, naming the helper.
import numpy as np


def _numeric(f, x):
    from scipy.optimize import approx_fprime
    return approx_fprime(x.ravel(), f).reshape(x.shape)


def l2_loss_grad(w, x, y):
    return _numeric(lambda v: 0.5 * (v @ x.ravel() - y) ** 2, w)
