# expect: ok
# Prints about 100 KiB on every call, past what the report keeps: the prints are cut, the marks are not.
import numpy as np

np.set_printoptions(threshold=100000)


def sigmoid_grad(x):
    for i in range(2000):
        print(f"debug {i}: x = {x.ravel()[:3]}")
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)
