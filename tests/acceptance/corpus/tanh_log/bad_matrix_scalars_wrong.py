# expect: wrong_value
# Each partial as a (1, 1) matrix, the shape the notes use for a scalar, but the chain rule
# stops at ln: tanh' is missing.
import numpy as np


def tanh_log_grad(x, y, z):
    inner = 1 + z * 2 * x / np.sin(y)
    dx = (2 * z / np.sin(y)) / inner
    dy = (-2 * x * z * np.cos(y) / np.sin(y) ** 2) / inner
    dz = (2 * x / np.sin(y)) / inner
    return np.array([[dx]]), np.array([[dy]]), np.array([[dz]])
