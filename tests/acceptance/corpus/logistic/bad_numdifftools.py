# expect: forbidden_import
import numdifftools as nd
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    def loss(v):
        return 0.5 * v @ v + lam * np.logaddexp(0.0, -y * v @ x.ravel())

    return nd.Gradient(loss)(w.ravel()).reshape(-1, 1)
