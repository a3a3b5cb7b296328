"""Hostile: answers that lie when converted: a float whose __float__ raises, an ndarray subclass
whose shape, dtype and tobytes lie, an int too large for a float, a numpy scalar subclass."""
import numpy as np

CALLS = []


class Slippery(float):
    def __float__(self):
        raise RuntimeError("no number here")

    def __eq__(self, other):
        return True


class Pretender(np.ndarray):
    @property
    def shape(self):
        return (2**40, 0)

    def tobytes(self, *args, **kwargs):
        return b"\x00" * 10**7

    def __array_finalize__(self, obj):
        pass


def sigmoid_grad(x):
    CALLS.append(1)
    s = 1 / (1 + np.exp(-x))
    right = s * (1 - s)
    return (Slippery(1.0), (-right).view(Pretender), 10**400, right * 0 + np.float64(1))[(len(CALLS) - 1) % 4]
