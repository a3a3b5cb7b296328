"""hw1 with explicit loops over every entry, the way many students start."""

import math

import numpy as np


def _sigmoid(t):
    # Branch on the sign so exp never sees a large positive argument.
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


def sigmoid_grad(x):
    out = np.zeros_like(x, dtype=float)
    for index in np.ndindex(x.shape):
        s = _sigmoid(float(x[index]))
        out[index] = s * (1 - s)
    return out


def softmax_jacobian(x):
    n = x.shape[0]
    biggest = max(float(x[k, 0]) for k in range(n))
    exps = [math.exp(float(x[k, 0]) - biggest) for k in range(n)]
    total = sum(exps)
    s = [e / total for e in exps]
    jac = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i == j:
                jac[i, j] = s[j] * (1 - s[i])
            else:
                jac[i, j] = -s[i] * s[j]
    return jac


def softplus_grad(x, beta):
    out = np.zeros(x.shape)
    for index in np.ndindex(x.shape):
        out[index] = _sigmoid(beta * float(x[index]))
    return out


def l2_loss_grad(w, x, y):
    n = w.shape[0]
    prediction = 0.0
    for i in range(n):
        prediction += w[i, 0] * x[i, 0]
    grad = np.zeros((n, 1))
    for i in range(n):
        grad[i, 0] = (prediction - y) * x[i, 0]
    return grad


def l2_loss_batch_grad(w, X, y):
    m, n = X.shape
    grad = np.zeros((n, 1))
    for row in range(m):
        prediction = sum(X[row, k] * w[k, 0] for k in range(n))
        residual = prediction - y[row, 0]
        for k in range(n):
            grad[k, 0] += residual * X[row, k] / m
    return grad


def one_layer_net_grads(x, y, W, b1, U, b2):
    d_h, d_x = W.shape
    n_c = U.shape[0]
    z = [sum(W[i, k] * x[k, 0] for k in range(d_x)) + b1[i, 0] for i in range(d_h)]
    h = [max(v, 0.0) for v in z]
    theta = [sum(U[c, i] * h[i] for i in range(d_h)) + b2[c, 0] for c in range(n_c)]
    top = max(theta)
    exps = [math.exp(t - top) for t in theta]
    total = sum(exps)
    d_theta = [exps[c] / total - y[c, 0] for c in range(n_c)]

    grads = {"W": np.zeros(W.shape), "b1": np.zeros(b1.shape), "U": np.zeros(U.shape),
             "b2": np.zeros(b2.shape), "x": np.zeros(x.shape)}
    for c in range(n_c):
        grads["b2"][c, 0] = d_theta[c]
        for i in range(d_h):
            grads["U"][c, i] = d_theta[c] * h[i]
    for i in range(d_h):
        d_z = sum(U[c, i] * d_theta[c] for c in range(n_c)) if z[i] > 0 else 0.0
        grads["b1"][i, 0] = d_z
        for k in range(d_x):
            grads["W"][i, k] = d_z * x[k, 0]
            grads["x"][k, 0] += W[i, k] * d_z
    return grads
