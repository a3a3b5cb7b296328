"""Hostile: correct answers, each after sleeping just under the per-call limit, so
that a whole assignment holds a grading slot for minutes (92 s for 14 problems)."""
import time

import numpy as np

NAP = 1.9  # the per-call limit is 2 s


def sigmoid_grad(x):
    time.sleep(NAP)
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)


def softmax_jacobian(x):
    time.sleep(NAP)
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T


def softplus_grad(x, beta):
    time.sleep(NAP)
    return 0.5 * (1.0 + np.tanh(0.5 * beta * x))
