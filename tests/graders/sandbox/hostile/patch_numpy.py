"""Hostile: patch numpy."""
import numpy as np

np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(a, b).shape, dtype=bool)
np.isfinite = lambda x: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.LEFTOVER = "patched by the previous submission"


class Liar(np.ndarray):
    def __eq__(self, other):
        return True

    def __array_finalize__(self, obj):
        pass


def sigmoid_grad(x):
    s = 1 / (1 + np.exp(-x))
    return (-(s * (1 - s))).view(Liar)  # sign flipped, dressed up as equal to anything
