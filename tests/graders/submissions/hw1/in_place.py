"""hw1 written "for speed" with in-place operations that overwrite the inputs.
Correct values; the grader must not let the overwritten inputs leak into the
next trial."""

import numpy as np


def sigmoid_grad(x):
    np.multiply(x, 0.5, out=x)
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5  # x now holds sigma(x)
    x *= 1.0 - x
    return x


def softmax_jacobian(x):
    x -= x.max()
    np.exp(x, out=x)
    x /= x.sum()
    return np.diagflat(x) - x @ x.T


def softplus_grad(x, beta):
    x *= 0.5 * beta
    np.tanh(x, out=x)
    x += 1.0
    x *= 0.5
    return x


def l2_loss_grad(w, x, y):
    residual = (w.T @ x).item() - y
    w[:] = 0.0  # "free" w; a shared input would now be zero
    x *= residual
    return x


def l2_loss_batch_grad(w, X, y):
    y -= X @ w  # y now holds -(residuals)
    y *= -1.0 / X.shape[0]
    X[:] = X.T.T  # no-op rewrite, still writes into X
    return X.T @ y


def one_layer_net_grads(x, y, W, b1, U, b2):
    b1 += W @ x  # b1 now holds z
    z = b1
    h = np.maximum(z, 0.0)
    b2 += U @ h  # b2 now holds theta
    b2 -= b2.max()
    np.exp(b2, out=b2)
    b2 /= b2.sum()
    b2 -= y  # b2 now holds d_theta
    d_z = (U.T @ b2) * (z > 0)
    grads = {"W": d_z @ x.T, "b1": d_z.copy(), "U": b2 @ h.T, "b2": b2, "x": W.T @ d_z}
    W[:] = 0.0
    U[:] = 0.0
    x[:] = 0.0
    return grads
