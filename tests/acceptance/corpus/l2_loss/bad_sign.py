# expect: sign_flipped
import numpy as np


def l2_loss_grad(w, x, y):
    return (y - w.T @ x) * x
