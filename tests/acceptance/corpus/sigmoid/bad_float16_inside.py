# expect: wrong_value
# float16 round-off survives the cast back to float64: about 1e-4, above the tolerance.
# Computes in float16 "to save memory", then hands back float64: the round-off is the answer's.
import numpy as np


def sigmoid_grad(x):
    h = np.asarray(x, dtype=np.float16)
    s = (0.5 * (1.0 + np.tanh(0.5 * h))).astype(np.float16)
    return (s * (1 - s)).astype(np.float64)
