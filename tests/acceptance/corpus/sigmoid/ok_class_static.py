# expect: ok
# The maths lives in a class; the graded function is a module-level name bound to it.
import numpy as np


class Sigmoid:
    @staticmethod
    def value(x):
        out = np.empty_like(x, dtype=float)
        pos = x >= 0
        out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
        e = np.exp(x[~pos])
        out[~pos] = e / (1.0 + e)
        return out

    @classmethod
    def grad(cls, x):
        s = cls.value(x)
        return s * (1.0 - s)


sigmoid_grad = Sigmoid.grad
