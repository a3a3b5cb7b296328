"""Hostile: results that contain themselves, and containers whose __len__, __iter__,
__getitem__, keys or items lie (raise, loop, say 10**18), one style per call."""
import numpy as np

CALLS = []


class Endless(list):
    def __iter__(self):
        while True:
            yield 1.0


class HugeLen(list):
    def __len__(self):
        return 10**18


class RaisingLen(tuple):
    def __len__(self):
        raise RuntimeError("no length here")


class KeyFlood(dict):
    def items(self):
        n = 0
        while True:
            n += 1
            yield f"k{n}", n


class IndexLies(float):
    def __index__(self):
        raise RuntimeError("no index")

    def __hash__(self):
        raise RuntimeError("no hash")


def sigmoid_grad(x):
    CALLS.append(1)
    s = 1 / (1 + np.exp(-x))
    right = s * (1 - s)
    looped = [right]
    looped.append(looped)
    selfdict = {"a": right}
    selfdict["self"] = selfdict
    styles = (looped, selfdict, HugeLen([right]), RaisingLen((right,)), KeyFlood(a=right),
              [IndexLies(1.0)] * 12, Endless([right]))
    return styles[(len(CALLS) - 1) % len(styles)]
