"""Hostile: object dtype result."""
import numpy as np


def sigmoid_grad(x):
    return np.array([object(), "x", 1.0], dtype=object)
