# expect: exception
# A quick check placed above the definition: NameError when the file is imported.
import numpy as np

print(sigmoid_grad(np.array([0.0])))  # noqa: F821


def sigmoid_grad(x):
    t = np.tanh(x / 2)
    return (1 - t * t) / 4
