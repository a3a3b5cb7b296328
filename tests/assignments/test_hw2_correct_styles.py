"""Correct hw2 answers written the many ways students write them all score full marks:
vectorised or with loops, numpy or the math module, tuples, lists or 0-d arrays."""

from dataclasses import dataclass

import pytest

from tests.assignments.hw2_fixtures import HW2_PROBLEMS, only
from tests.assignments.results import full_marks, messages


@dataclass(frozen=True)
class Style:
    problem: str
    name: str
    source: str


STYLES = [
    Style("quadratic_form", "vectorised", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return (A + A.T) @ x + z
"""),
    Style("quadratic_form", "loops over entries", """
import numpy as np
def quadratic_form_grad(x, A, z):
    n = x.shape[0]
    g = np.zeros((n, 1))
    for i in range(n):
        total = z[i, 0]
        for j in range(n):
            total += A[i, j] * x[j, 0] + A[j, i] * x[j, 0]
        g[i, 0] = total
    return g
"""),
    Style("quadratic_form", "einsum", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return np.einsum("ij,jk->ik", A, x) + np.einsum("ji,jk->ik", A, x) + z
"""),
    Style("linear_l2", "vectorised with outer", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    r = (W @ x + b - y).ravel()
    return {"W": 2 * np.outer(r, x.ravel()), "b": 2 * r.reshape(-1, 1), "x": (2 * W.T @ r).reshape(-1, 1)}
"""),
    Style("linear_l2", "loops", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    m, n = W.shape
    r = [sum(W[i, j] * x[j, 0] for j in range(n)) + b[i, 0] - y[i, 0] for i in range(m)]
    dW = np.zeros((m, n))
    dx = np.zeros((n, 1))
    for i in range(m):
        for j in range(n):
            dW[i, j] = 2 * r[i] * x[j, 0]
            dx[j, 0] += 2 * W[i, j] * r[i]
    db = np.array([[2 * ri] for ri in r])
    return {"x": dx, "b": db, "W": dW}
"""),
    Style("logistic", "tanh form", """
import numpy as np
def logistic_loss_grad(w, x, y, lam):
    m = y * (w.T @ x).item()
    return w - lam * y * 0.5 * (1 - np.tanh(0.5 * m)) * x
"""),
    Style("logistic", "branch on the sign with math", """
import math
import numpy as np
def logistic_loss_grad(w, x, y, lam):
    m = y * float(np.sum(w * x))
    if m >= 0:
        s = math.exp(-m) / (1 + math.exp(-m))   # sigma(-m); exp of a non-positive number
    else:
        s = 1 / (1 + math.exp(m))
    return w - lam * y * s * x
"""),
    Style("logistic", "logaddexp", """
import numpy as np
def logistic_loss_grad(w, x, y, lam):
    m = y * (w.T @ x)[0, 0]
    return w - lam * y * np.exp(-np.logaddexp(0.0, m)) * x
"""),
    Style("scalar_chain", "math module, tuple of floats", """
import math
def scalar_chain_grad(x, z):
    L = math.log(x)
    dx = z * math.exp(x * z) + z / L - z / L ** 2 + math.cos(L) / (x * x * z) - math.sin(L) / (x * x * z)
    dz = x * math.exp(x * z) + x / L - math.sin(L) / (x * z * z)
    return (dx, dz)
"""),
    Style("scalar_chain", "reverse mode by hand, list of 0-d arrays", """
import numpy as np
def scalar_chain_grad(x, z):
    # forward: a = xz, b = ln x, c = e^a, d = a / b, e = sin b, f = e / a, y = c + d + f
    a = x * z
    b = np.log(x)
    c = np.exp(a)
    e = np.sin(b)
    # backward from y
    a_bar = c + 1 / b - e / a ** 2
    b_bar = -a / b ** 2 + np.cos(b) / a
    x_bar = a_bar * z + b_bar / x
    z_bar = a_bar * x
    return [np.array(x_bar), np.array(z_bar)]
"""),
    Style("scalar_chain", "one numpy array of two entries", """
import numpy as np
def scalar_chain_grad(x, z):
    L = np.log(x)
    return np.array([z * np.exp(x * z) + z * (L - 1) / L ** 2 + (np.cos(L) - np.sin(L)) / (x * x * z),
                     x * np.exp(x * z) + x / L - np.sin(L) / (x * z * z)])
"""),
    Style("tanh_log", "math module", """
import math
def tanh_log_grad(x, y, z):
    u = 1 + z * 2 * x / math.sin(y)
    g = math.log(u)
    k = (1 - math.tanh(g) ** 2) / u
    return k * 2 * z / math.sin(y), -k * 2 * x * z * math.cos(y) / math.sin(y) ** 2, k * 2 * x / math.sin(y)
"""),
    Style("tanh_log", "graph by hand, list", """
import numpy as np
def tanh_log_grad(x, y, z):
    s = np.sin(y)
    q = 2 * x / s
    u = 1 + z * q
    g = np.log(u)
    f = np.tanh(g)
    g_bar = 1 - f ** 2
    u_bar = g_bar / u
    q_bar = u_bar * z
    z_bar = u_bar * q
    x_bar = q_bar * 2 / s
    s_bar = -q_bar * 2 * x / s ** 2
    y_bar = s_bar * np.cos(y)
    return [x_bar, y_bar, z_bar]
"""),
    Style("tanh_regression", "math module", """
import math
def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    common = 2 * (t - y) * (1 - t * t)
    return common * x, common
"""),
    Style("tanh_regression", "numpy 0-d arrays", """
import numpy as np
def tanh_regression_grad(w, b, x, y):
    u = np.asarray(w * x + b)
    dL_du = -2.0 * (y - np.tanh(u)) / np.cosh(u) ** 2
    return np.asarray(dL_du * x), np.asarray(dL_du)
"""),
    Style("legendre_p3", "as in the tutorial", """
import torch

class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)
"""),
    Style("legendre_p3", "imported Function, torch ops", """
import torch
from torch.autograd import Function

class LegendrePolynomial3(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.mul(torch.pow(x, 3), 2.5) - 1.5 * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return torch.mul(grad_output, 7.5 * x * x - 1.5)
"""),
    Style("gd_trajectory", "loop", """
import numpy as np
def gd_iterates(alpha, steps):
    w = [0.0]
    for _ in range(steps):
        grad = (1.0 * w[-1] - 100.0) * 1.0
        w.append(w[-1] - alpha * grad)
    return np.array(w)
"""),
    Style("gd_trajectory", "closed form", """
import numpy as np
def gd_iterates(alpha, steps):
    # w_t - 100 = (1 - alpha)^t (w_0 - 100)
    return 100.0 * (1.0 - (1.0 - alpha) ** np.arange(steps + 1))
"""),
    Style("gd_trajectory", "a plain list", """
def gd_iterates(alpha, steps):
    w, out = 0, [0]
    for _ in range(steps):
        w = w - alpha * (w - 100)
        out.append(w)
    return out
"""),
]


@pytest.mark.parametrize("style", STYLES, ids=[f"{s.problem}: {s.name}" for s in STYLES])
def test_a_correct_style_scores_full_marks(grade_hw2, style):
    result = only(grade_hw2(style.source, style.problem))
    assert full_marks(result), messages(result)
    assert result["diagnosis"] is None
    if style.problem == "legendre_p3":
        (gradcheck,) = [check for check in result["checks"] if check["category"] == "gradcheck"]
        assert gradcheck["passed"] and gradcheck["score"] == gradcheck["max_score"] > 0


def test_every_hw2_problem_has_at_least_two_styles():
    counts = {problem: sum(s.problem == problem for s in STYLES) for problem in HW2_PROBLEMS}
    assert min(counts.values()) >= 2, counts
