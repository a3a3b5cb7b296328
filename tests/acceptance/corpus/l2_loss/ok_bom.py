# expect: ok
# Saved with a UTF-8 byte-order mark (Windows Notepad); Python accepts it.
import numpy as np


def l2_loss_grad(w, x, y):
    return (np.sum(w * x) - y) * x
