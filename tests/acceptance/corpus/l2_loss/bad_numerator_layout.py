# expect: transposed
# A row vector (1, n): numerator layout.
import numpy as np


def l2_loss_grad(w, x, y):
    return (w.T @ x - y) * x.T
