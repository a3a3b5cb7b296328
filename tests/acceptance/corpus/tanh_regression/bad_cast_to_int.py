# expect: wrong_value
# An integer cast truncates the answer (integer dtypes are accepted, the values are wrong).
import numpy as np
def tanh_regression_grad(w, b, x, y):
    t = np.tanh(w * x + b)
    g = -2 * (y - t) * (1 - t ** 2)
    return np.array([g * x, g]).astype(np.int64)
