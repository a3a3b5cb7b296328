# expect: scaled
# Differentiated (w^T x - y)^2 and dropped the 1/2 of the loss.
import numpy as np


def l2_loss_grad(w, x, y):
    return 2 * (w.T @ x - y) * x
