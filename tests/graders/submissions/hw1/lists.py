"""hw1 with the math module only, returning nested Python lists and tuples (rows
of a column vector are one-element lists), which the contract accepts. The ReLU
derivative uses z >= 0: the test points keep z away from 0, where the two
conventions differ."""

import math


def _sigmoid(t):
    return 0.5 * (1.0 + math.tanh(0.5 * t))


def _column(v):
    return [float(row[0]) for row in v]


def sigmoid_grad(x):
    def walk(value):
        if hasattr(value, "__len__"):
            return [walk(item) for item in value]
        s = _sigmoid(float(value))
        return s * (1.0 - s)

    return walk(x)


def softmax_jacobian(x):
    v = _column(x)
    top = max(v)
    exps = [math.exp(t - top) for t in v]
    s = [e / sum(exps) for e in exps]
    return tuple(tuple((s[i] if i == j else 0.0) - s[i] * s[j] for j in range(len(s))) for i in range(len(s)))


def softplus_grad(x, beta):
    def walk(value):
        if hasattr(value, "__len__"):
            return [walk(item) for item in value]
        return _sigmoid(beta * float(value))

    return walk(x)


def l2_loss_grad(w, x, y):
    wv, xv = _column(w), _column(x)
    residual = sum(a * b for a, b in zip(wv, xv)) - y
    return [[residual * b] for b in xv]


def l2_loss_batch_grad(w, X, y):
    wv, yv = _column(w), _column(y)
    rows = [[float(v) for v in row] for row in X]
    residuals = [sum(a * b for a, b in zip(row, wv)) - t for row, t in zip(rows, yv)]
    m = len(rows)
    return [[sum(residuals[r] * rows[r][k] for r in range(m)) / m] for k in range(len(wv))]


def one_layer_net_grads(x, y, W, b1, U, b2):
    xv, yv, b1v, b2v = _column(x), _column(y), _column(b1), _column(b2)
    Wr = [[float(v) for v in row] for row in W]
    Ur = [[float(v) for v in row] for row in U]
    z = [sum(a * b for a, b in zip(row, xv)) + b for row, b in zip(Wr, b1v)]
    h = [max(t, 0.0) for t in z]
    theta = [sum(a * b for a, b in zip(row, h)) + b for row, b in zip(Ur, b2v)]
    top = max(theta)
    exps = [math.exp(t - top) for t in theta]
    d_theta = [e / sum(exps) - t for e, t in zip(exps, yv)]
    d_z = [sum(Ur[c][i] * d_theta[c] for c in range(len(d_theta))) * (1.0 if z[i] >= 0 else 0.0)
           for i in range(len(z))]
    return {
        "W": [[d * a for a in xv] for d in d_z],
        "b1": [[d] for d in d_z],
        "U": [[d * a for a in h] for d in d_theta],
        "b2": [[d] for d in d_theta],
        "x": [[sum(Wr[i][k] * d_z[i] for i in range(len(d_z)))] for k in range(len(xv))],
    }
