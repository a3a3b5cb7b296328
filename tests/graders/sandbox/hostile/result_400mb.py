"""Hostile: result 400mb."""
import numpy as np


def sigmoid_grad(x):
    return np.full(50_000_000, 0.25)
