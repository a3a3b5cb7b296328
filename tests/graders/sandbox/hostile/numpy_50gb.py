"""Hostile: numpy 50gb."""
import numpy as np


def sigmoid_grad(x):
    return np.ones((50 * 1024**3) // 8)
