"""Homework 1, as a careful student would hand it in: every answer correct."""

import numpy as np


def _stable_sigmoid(t):
    # tanh never overflows, and sigma(t) = (1 + tanh(t / 2)) / 2
    return 0.5 * (1.0 + np.tanh(0.5 * t))


def _stable_softmax(v):
    e = np.exp(v - np.max(v))  # shifting the logits leaves the softmax unchanged
    return e / np.sum(e)


def sigmoid_grad(x):
    s = _stable_sigmoid(x)
    return s * (1.0 - s)


def softmax_jacobian(x):
    s = _stable_softmax(x)  # (n, 1)
    # d s_j / d x_i = s_j (delta_ij - s_i): symmetric, so the layout does not matter here
    return np.diagflat(s) - s @ s.T


def softplus_grad(x, beta):
    # d/dx (1/beta) ln(1 + e^(beta x)) = e^(beta x) / (1 + e^(beta x)) = sigma(beta x)
    return _stable_sigmoid(beta * x)


def l2_loss_grad(w, x, y):
    residual = (w.T @ x).item() - y  # w^T x is a (1, 1) array
    return residual * x  # (n, 1), like w


def l2_loss_batch_grad(w, X, y):
    m = X.shape[0]
    residuals = X @ w - y  # (m, 1)
    return X.T @ residuals / m  # (n, 1)


def one_layer_net_grads(x, y, W, b1, U, b2):
    # forward pass, keeping what the backward pass needs
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    y_hat = _stable_softmax(theta)

    # backward pass, in denominator layout
    d_theta = y_hat - y  # softmax + cross-entropy
    d_U = d_theta @ h.T
    d_b2 = d_theta
    d_h = U.T @ d_theta
    d_z = d_h * (z > 0)  # ReLU passes the gradient only where it is active
    d_W = d_z @ x.T
    d_b1 = d_z
    d_x = W.T @ d_z
    return {"W": d_W, "b1": d_b1, "U": d_U, "b2": d_b2, "x": d_x}
