# expect: ok
import numpy as np


def l2_loss_grad(w, x, y):
    r = np.dot(w[:, 0], x[:, 0]) - y
    return r * x
