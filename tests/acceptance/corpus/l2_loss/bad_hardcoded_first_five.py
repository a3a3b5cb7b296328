# expect: wrong_shape
# message: hidden
# The visible n = 5 is hard-coded: the hidden trials use other sizes.
import numpy as np


def l2_loss_grad(w, x, y):
    g = np.zeros((5, 1))  # the visible trial's n
    r = (w.T @ x).item() - y
    for i in range(5):
        g[i, 0] = r * x[i, 0] if i < x.shape[0] else 0.0
    return g
