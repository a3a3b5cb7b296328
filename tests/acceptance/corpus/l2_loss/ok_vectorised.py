# expect: ok
import numpy as np


def l2_loss_grad(w, x, y):
    residual = (w.T @ x).item() - y
    return residual * x
