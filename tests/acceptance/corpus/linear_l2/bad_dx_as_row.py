# expect: transposed
# dL/dx returned as the row r^T W.
import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2 * r @ x.T, "b": 2 * r, "x": 2 * (r.T @ W)}  # a row: W^T r is a column
