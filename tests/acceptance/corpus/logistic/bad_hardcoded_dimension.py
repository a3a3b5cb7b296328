# expect: exception
# Reshapes to the visible trial's size (6): the hidden trials use other sizes.
import numpy as np


def logistic_loss_grad(w, x, y, lam):
    m = y * float(np.sum(w.reshape(6) * x.reshape(6)))
    s = 0.5 * (1.0 - np.tanh(0.5 * m))
    return (w.reshape(6) - lam * y * s * x.reshape(6)).reshape(6, 1)
