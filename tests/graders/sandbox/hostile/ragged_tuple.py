"""Hostile: a tuple answer where a list is expected, with ragged rows, opaque objects, inf and nan."""
import numpy as np

CALLS = []


def softmax_jacobian(x):
    CALLS.append(1)
    n = x.shape[0]
    odd = ([[0.0] * n] * (n - 1) + [[0.0] * (n + 1)], [[object()] * n] * n, np.full((n, n), np.inf),
           [[float("nan")] * n] * n, tuple(tuple(r) for r in np.eye(n)), [[[[[[[[[[1.0]]]]]]]]]])
    return odd[(len(CALLS) - 1) % len(odd)]
