# expect: timeout
# message: loading your file was stopped
# A "training loop" left at module level never ends: blamed on loading the file.
import numpy as np

w = 0.0
while abs(w) < 1e9:
    w = w * 0.5

def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)
