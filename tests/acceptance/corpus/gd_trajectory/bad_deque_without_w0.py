# expect: wrong_shape
# message: shape (6,) but should have shape (7,)
# A deque of the iterates is read like a list, and it lacks w_0.
from collections import deque


def gd_iterates(alpha, steps):
    w, out = 0.0, deque()
    for _ in range(steps):
        w = w - alpha * (w - 100.0)
        out.append(w)
    return out
