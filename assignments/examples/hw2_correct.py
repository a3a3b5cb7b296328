"""Homework 2, as a careful student would hand it in: every answer correct.

torch is imported at module level for LegendrePolynomial3 only; the numpy
functions never touch it (the grader forbids torch in every other problem).
"""

import math

import numpy as np
import torch


def _stable_sigmoid(t):
    # tanh never overflows, and sigma(t) = (1 + tanh(t / 2)) / 2
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def quadratic_form_grad(x, A, z):
    # x^T A x contributes (A + A^T) x (A is not symmetric), x^T z contributes z
    return (A + A.T) @ x + z


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y  # (m, 1) residual
    return {"W": 2.0 * r @ x.T, "b": 2.0 * r, "x": 2.0 * W.T @ r}


def logistic_loss_grad(w, x, y, lam):
    margin = y * (w.T @ x).item()
    # d/dm [-log sigma(m)] = -(1 - sigma(m)) = -sigma(-m); stable for |m| ~ 1000
    return w - lam * y * _stable_sigmoid(-margin) * x


def scalar_chain_grad(x, z):
    log = math.log(x)
    e = math.exp(x * z)
    dy_dx = z * e + z * (log - 1.0) / log**2 + (math.cos(log) - math.sin(log)) / (x * x * z)
    dy_dz = x * e + x / log - math.sin(log) / (x * z * z)
    return dy_dx, dy_dz


def tanh_log_grad(x, y, z):
    sin, cos = math.sin(y), math.cos(y)
    u = 1.0 + 2.0 * x * z / sin
    f = math.tanh(math.log(u))
    df_du = (1.0 - f * f) / u  # tanh' (ln u) * d ln(u) / du
    return df_du * 2.0 * z / sin, df_du * (-2.0 * x * z * cos / sin**2), df_du * 2.0 * x / sin


def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    dL_db = -2.0 * (y - t) * (1.0 - t * t)
    return dL_db * x, dL_db


class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)  # P3'(x) = (15 x^2 - 3) / 2


def gd_iterates(alpha, steps):
    x, y = 1.0, 100.0
    w = np.zeros(steps + 1)  # w_0 = 0
    for t in range(steps):
        w[t + 1] = w[t] - alpha * (x * w[t] - y) * x  # dL/dw = (x w - y) x
    return w
