# expect: ok
# Compares against scipy's numerical gradient when run as a script; never when graded.
import numpy as np


def l2_loss_grad(w, x, y):
    return ((w.T @ x).item() - y) * x


if __name__ == "__main__":
    from scipy.optimize import approx_fprime

    w, x = np.ones((3, 1)), np.arange(3.0).reshape(3, 1)
    print(approx_fprime(w.ravel(), lambda v: 0.5 * (v @ x.ravel() - 1) ** 2), l2_loss_grad(w, x, 1.0).ravel())
