# expect: ok
# A list of one-element lists of numpy float32 scalars, (n, 1) once stacked.
import numpy as np


def l2_loss_grad(w, x, y):
    r = np.float32(sum(float(a) * float(b) for a, b in zip(w.ravel(), x.ravel())) - y)
    return [[r * np.float32(v)] for v in x.ravel()]
