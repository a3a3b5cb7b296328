# expect: exception
# (n,1) @ (n,1) is not defined.
import numpy as np


def l2_loss_grad(w, x, y):
    return (w @ x - y) * x
