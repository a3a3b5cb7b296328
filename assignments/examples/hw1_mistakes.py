"""Homework 1 with the mistakes TAs see most often, one per function (and one
function right), to show what nablagrade tells a student."""

import numpy as np


def sigmoid_grad(x):
    # Right formula, but e^(-x) overflows to inf for x near -1000: inf / inf = nan.
    e = np.exp(-x)
    return e / (1.0 + e) ** 2


def softmax_jacobian(x):
    # Only d s_i / d x_i: forgets that every output depends on every input.
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s * (1.0 - s))


def softplus_grad(x, beta):
    # Forgot the chain rule's beta inside: this is sigmoid(x), not sigmoid(beta x).
    return 1.0 / (1.0 + np.exp(-x))


def l2_loss_grad(w, x, y):
    # Correct.
    return ((w.T @ x).item() - y) * x


def l2_loss_batch_grad(w, X, y):
    # Forgot the 1/m of the mean.
    return X.T @ (X @ w - y)


def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0.0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    d_theta = e / e.sum() - y
    d_z = (U.T @ d_theta) * (z > 0)
    # dW written as x dz^T: numerator layout, the transpose of what the course asks for.
    return {"W": x @ d_z.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}
