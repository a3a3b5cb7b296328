"""Hostile: an object whose __array_interface__ points at memory that is not there; numpy
reads it (in the child) when the function converts it, and the grader if it ever did."""
import numpy as np


class Phantom:
    __array_interface__ = {"shape": (10**6,), "typestr": "<f8", "data": (0x1000, True), "version": 3}


def sigmoid_grad(x):
    return np.asarray(Phantom()) + 0.0
