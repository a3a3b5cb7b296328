# expect: ok
# scipy is imported inside a helper that only the main block calls: never while graded.
import numpy as np


def l2_loss_grad(w, x, y):
    return ((w.T @ x).item() - y) * x


def _compare_with_scipy():
    from scipy.optimize import approx_fprime

    w, x = np.ones((3, 1)), np.arange(3.0).reshape(3, 1)
    numeric = approx_fprime(w.ravel(), lambda v: 0.5 * (v @ x.ravel() - 1.0) ** 2)
    print(np.allclose(numeric, l2_loss_grad(w, x, 1.0).ravel(), atol=1e-5))


if __name__ == "__main__":
    _compare_with_scipy()
