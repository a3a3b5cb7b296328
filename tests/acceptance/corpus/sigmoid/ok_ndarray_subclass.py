# expect: ok
# An ndarray subclass with an attribute of its own: the numbers are what count.
import numpy as np


class Tagged(np.ndarray):
    """An array that remembers where it came from."""

    def __new__(cls, values, tag=""):
        obj = np.asarray(values).view(cls)
        obj.tag = tag
        return obj


def sigmoid_grad(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return Tagged(s * (1.0 - s), tag="sigma'")
