# expect: wrong_value
# Casts the residual to int.
import numpy as np


def l2_loss_grad(w, x, y):
    r = int((w.T @ x).item() - y)
    return r * x
