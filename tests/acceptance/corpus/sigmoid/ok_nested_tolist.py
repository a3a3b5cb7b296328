# expect: ok
# Nested Python lists as deep as x, computed with math: any shape, even the third axis.
import math


def _d(v):
    if isinstance(v, list):
        return [_d(item) for item in v]
    e = math.exp(-abs(v))
    return e / (1.0 + e) ** 2


def sigmoid_grad(x):
    return _d(x.tolist())  # nested lists, as deep as x
