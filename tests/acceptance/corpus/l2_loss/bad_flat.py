# expect: wrong_shape
import numpy as np


def l2_loss_grad(w, x, y):
    w1, x1 = w.ravel(), x.ravel()
    return (np.dot(w1, x1) - y) * x1
