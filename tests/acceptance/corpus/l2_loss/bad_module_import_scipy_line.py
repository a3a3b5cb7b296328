# expect: forbidden_import
# message: scipy
import numpy as np
from scipy import linalg


def l2_loss_grad(w, x, y):
    return (w.T @ x - y) * x
