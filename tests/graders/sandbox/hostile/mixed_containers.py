"""Hostile: a dict answer whose entries are the wrong kinds of thing: None, a string, a list
mixing numbers and objects, ragged lists, a nested dict, a bool, an int too large for a float."""
import numpy as np

CALLS = []


def linear_l2_grads(W, b, x, y):
    CALLS.append(1)
    g = 2.0 * (W @ x + b - y)
    odd = (None, "W", [1.0, object()], [[1.0], [1.0, 2.0]], {"deep": {"er": [1.0]}}, True, 10**400, [np.nan] * 3,
           (g @ x.T).tolist())
    pick = odd[(len(CALLS) - 1) % len(odd)]
    return {"W": pick, "b": g, "x": W.T @ g}
