# expect: ok
# A layer object that caches its forward pass, checked against a copy of the input.
import numpy as np


class Softmax:
    def __init__(self):
        self.last_input = None
        self.last_output = None

    def forward(self, x):
        if self.last_input is not None and self.last_input.shape == x.shape and np.array_equal(self.last_input, x):
            return self.last_output
        e = np.exp(x - x.max())
        self.last_input, self.last_output = x.copy(), e / e.sum()
        return self.last_output

    def jacobian(self, x):
        s = self.forward(x)
        return np.diagflat(s) - np.outer(s, s)


_layer = Softmax()


def softmax_jacobian(x):
    return _layer.jacobian(x)
