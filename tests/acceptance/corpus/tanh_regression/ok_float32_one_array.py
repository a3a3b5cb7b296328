# expect: ok
# Both partials as ONE 1-D float32 array (a real dtype, accepted; compared in float64).
import numpy as np


def tanh_regression_grad(w, b, x, y):
    t = np.tanh(w * x + b)
    common = -2.0 * (y - t) * (1.0 - t * t)
    return np.array([common * x, common], dtype=np.float32)
