"""The mistakes TAs see on hw2, written as students write them: each loses marks with
the diagnosis a student can act on."""

from dataclasses import dataclass

import pytest

from tests.assignments.hw2_fixtures import HW2_PROBLEMS, only
from tests.assignments.results import assert_mistake_diagnosed, messages


@dataclass(frozen=True)
class Case:
    problem: str
    name: str
    source: str
    code: str
    says: tuple[str, ...] = ()  # fragments the student must read
    stability_only: bool = False  # right on regular trials, fails only on large inputs


def logistic(sigma_of_minus_m: str, result: str = "w - lam * y * s * x") -> str:
    """A logistic_loss_grad with the sigma(-m) line and the result line chosen."""
    return f"""
import numpy as np
def logistic_loss_grad(w, x, y, lam):
    m = y * (w.T @ x).item()
    s = {sigma_of_minus_m}
    return {result}
"""


STABLE = "0.5 * (1 - np.tanh(0.5 * m))"

SCALAR_CHAIN = """
import math
def scalar_chain_grad(x, z):
    L = math.log(x)
    dx = {dx}
    dz = x * math.exp(x * z) + x / L - math.sin(L) / (x * z * z)
    return {result}
"""
DX = "z * math.exp(x * z) + z * (L - 1) / L ** 2 + (math.cos(L) - math.sin(L)) / (x * x * z)"

TANH_LOG = """
import math
def tanh_log_grad(x, y, z):
    u = 1 + 2 * x * z / math.sin(y)
    k = {k}
    return {result}
"""
TANH_LOG_K = "(1 - math.tanh(math.log(u)) ** 2) / u"
TANH_LOG_RESULT = "k * 2 * z / math.sin(y), -k * 2 * x * z * math.cos(y) / math.sin(y) ** 2, k * 2 * x / math.sin(y)"

TANH_REGRESSION = """
import math
def tanh_regression_grad(w, b, x, y):
    t = math.tanh(w * x + b)
    d_b = {d_b}
    return {result}
"""
TANH_D_B = "-2 * (y - t) * (1 - t * t)"

LEGENDRE = """
import torch

class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return {forward}

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return {backward}
"""

GD = """
import numpy as np
def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = {update}
    return {result}
"""

CASES = [
    # quadratic_form
    Case("quadratic_form", "row vector", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return x.T @ (A + A.T) + z.T
""", "transposed", ("looks transposed", "denominator layout")),
    Case("quadratic_form", "flattened", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return ((A + A.T) @ x + z).ravel()
""", "wrong_shape", ("reshape to (n, 1)",)),
    Case("quadratic_form", "z dropped", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return (A + A.T) @ x
""", "wrong_value", ("x^T z",)),
    Case("quadratic_form", "A^T x forgotten", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return A @ x + z
""", "wrong_value", ("the A^T x term is missing",)),
    Case("quadratic_form", "assumed symmetric", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return 2 * A @ x + z
""", "wrong_value", ("only for a symmetric A",)),
    Case("quadratic_form", "sign flipped", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return -((A + A.T) @ x + z)
""", "sign_flipped", ("sign flipped",)),
    Case("quadratic_form", "torch autograd inside the function", """
import numpy as np
def quadratic_form_grad(x, A, z):
    import torch
    t = torch.tensor(x, requires_grad=True)
    f = t.T @ (torch.tensor(A) @ t + torch.tensor(z))
    f.backward()
    return t.grad.numpy()
""", "forbidden_import", ("torch", "derive it by hand")),
    Case("quadratic_form", "exception", """
import numpy as np
def quadratic_form_grad(x, A, z):
    return (A + A.T) @ x + zz
""", "exception", ("NameError",)),
    # linear_l2
    Case("linear_l2", "factor 2 dropped", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": r @ x.T, "b": r, "x": W.T @ r}
""", "scaled", ("off by a factor 2", "1/2 of the expected value")),
    Case("linear_l2", "dW as x r^T", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2 * x @ r.T, "b": 2 * r, "x": 2 * W.T @ r}
""", "transposed", ("looks transposed",)),
    Case("linear_l2", "bias left out of the residual", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    r = W @ x - y
    return {"W": 2 * r @ x.T, "b": 2 * r, "x": 2 * W.T @ r}
""", "wrong_value", ("the bias b is missing",)),
    Case("linear_l2", "dx without W^T", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2 * r @ x.T, "b": 2 * r, "x": 2 * r}
""", "wrong_shape", ('the entry "x" has shape (3, 1) but should have shape (5, 1)',)),
    Case("linear_l2", "tuple instead of dict", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return 2 * r @ x.T, 2 * r, 2 * W.T @ r
""", "wrong_type", ("expected a dict",)),
    Case("linear_l2", "a key missing", """
import numpy as np
def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2 * r @ x.T, "b": 2 * r}
""", "wrong_type", ('"x"',)),
    # logistic
    Case("logistic", "naive exp", logistic("np.exp(-m) / (1 + np.exp(-m))"), "not_finite",
         ("overflows or underflows at large inputs",), stability_only=True),
    Case("logistic", "regulariser dropped", logistic(STABLE, "-lam * y * s * x"), "wrong_value",
         ("gradient of 1/2 ||w||^2",)),
    Case("logistic", "label y dropped", logistic(STABLE, "w - lam * s * x"), "wrong_value", ("factor y",)),
    Case("logistic", "sigma instead of 1 - sigma", logistic("0.5 * (1 + np.tanh(0.5 * m))"), "wrong_value",
         ("not sigma(m)",)),
    Case("logistic", "whole gradient negated", logistic(STABLE, "-(w - lam * y * s * x)"), "sign_flipped",
         ("sign flipped",)),
    Case("logistic", "1-D result", logistic(STABLE, "(w - lam * y * s * x).ravel()"), "wrong_shape",
         ("(n, 1)",)),
    # scalar_chain
    Case("scalar_chain", "inner derivative of e^(xz) dropped",
         SCALAR_CHAIN.format(dx=DX.replace("z * math.exp", "math.exp"), result="dx, dz"), "wrong_value",
         ("inner derivative",)),
    Case("scalar_chain", "1/x of ln x dropped",
         SCALAR_CHAIN.format(dx=DX.replace("(math.cos(L) - math.sin(L)) / (x * x * z)",
                                           "(x * math.cos(L) - math.sin(L)) / (x * x * z)"), result="dx, dz"),
         "wrong_value", ("the 1/x from ln x is missing",)),
    Case("scalar_chain", "partials swapped", SCALAR_CHAIN.format(dx=DX, result="dz, dx"), "wrong_value",
         ("swapped",)),
    Case("scalar_chain", "both negated", SCALAR_CHAIN.format(dx=DX, result="-dx, -dz"), "sign_flipped",
         ("sign flipped",)),
    Case("scalar_chain", "dict instead of tuple", SCALAR_CHAIN.format(dx=DX, result='{"x": dx, "z": dz}'),
         "wrong_type", ("expected a tuple of 2 values",)),
    Case("scalar_chain", "sympy", """
import sympy
def scalar_chain_grad(x, z):
    X, Z = sympy.symbols("x z")
    y = sympy.exp(X * Z) + X * Z / sympy.log(X) + sympy.sin(sympy.log(X)) / (X * Z)
    return float(y.diff(X).subs({X: x, Z: z})), float(y.diff(Z).subs({X: x, Z: z}))
""", "forbidden_import", ("sympy", "derive it by hand")),
    # tanh_log
    Case("tanh_log", "1/u of the log dropped", TANH_LOG.format(k="1 - math.tanh(math.log(u)) ** 2",
                                                                 result=TANH_LOG_RESULT),
         "wrong_value", ("d ln(u) / du = 1/u",)),
    Case("tanh_log", "cos y dropped", TANH_LOG.format(k=TANH_LOG_K, result=TANH_LOG_RESULT.replace(
        " * math.cos(y)", "")), "wrong_value", ("the cos y is missing",)),
    Case("tanh_log", "two values", TANH_LOG.format(k=TANH_LOG_K, result="k * 2 * z / math.sin(y), k * 2 * x"),
         "wrong_type", ("returned 2 values; expected 3",)),
    # tanh_regression
    Case("tanh_regression", "x forgotten in dL/dw", TANH_REGRESSION.format(d_b=TANH_D_B, result="d_b, d_b"),
         "wrong_value", ("dL/dw is x times dL/db",)),
    Case("tanh_regression", "factor 2 dropped", TANH_REGRESSION.format(d_b="-(y - t) * (1 - t * t)",
                                                                      result="d_b * x, d_b"),
         "scaled", ("off by a factor 2",)),
    Case("tanh_regression", "inner minus dropped", TANH_REGRESSION.format(d_b="2 * (y - t) * (1 - t * t)",
                                                                         result="d_b * x, d_b"),
         "sign_flipped", ("sign flipped",)),
    Case("tanh_regression", "dict instead of tuple", TANH_REGRESSION.format(d_b=TANH_D_B,
                                                                           result='{"w": d_b * x, "b": d_b}'),
         "wrong_type", ("expected a tuple",)),
    # legendre_p3
    Case("legendre_p3", "backward forgets grad_output",
         LEGENDRE.format(forward="0.5 * (5 * x ** 3 - 3 * x)", backward="1.5 * (5 * x ** 2 - 1)"),
         "wrong_value", ("the gradient from backward is wrong",)),
    Case("legendre_p3", "wrong derivative", LEGENDRE.format(forward="0.5 * (5 * x ** 3 - 3 * x)",
                                                           backward="grad_output * 1.5 * (5 * x ** 2 - 3)"),
         "wrong_value", ("the gradient from backward is wrong",)),
    Case("legendre_p3", "not an autograd.Function", """
import torch

class LegendrePolynomial3:
    @staticmethod
    def forward(x):
        return 0.5 * (5 * x ** 3 - 3 * x)
""", "exception", ("torch.autograd.Function",)),
    # gd_trajectory
    Case("gd_trajectory", "w_0 left out", """
import numpy as np
def gd_iterates(alpha, steps):
    w, out = 0.0, []
    for _ in range(steps):
        w = w - alpha * (w - 100.0)
        out.append(w)
    return np.array(out)
""", "wrong_shape", ("return steps + 1 values",)),
    Case("gd_trajectory", "gradient ascent", GD.format(update="w[t] + alpha * (w[t] - 100.0)", result="w"),
         "wrong_value", ("subtracts the gradient",)),
    Case("gd_trajectory", "the 1/2 ignored", GD.format(update="w[t] - 2 * alpha * (w[t] - 100.0)", result="w"),
         "wrong_value", ("the 1/2 in L cancels",)),
    Case("gd_trajectory", "a column", GD.format(update="w[t] - alpha * (w[t] - 100.0)", result="w.reshape(-1, 1)"),
         "wrong_shape", ("should have shape (",)),
    Case("gd_trajectory", "refuses to diverge", """
import numpy as np
def gd_iterates(alpha, steps):
    if alpha >= 2:
        raise ValueError("gradient descent diverges")
    return 100.0 * (1.0 - (1.0 - alpha) ** np.arange(steps + 1))
""", "exception", ("raised a ValueError on a hidden trial", "seen on trial 3")),  # its text could carry the inputs
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.problem}: {c.name}" for c in CASES])
def test_a_common_mistake_gets_its_diagnosis(grade_hw2, case):
    result = only(grade_hw2(case.source, case.problem))
    assert_mistake_diagnosed(result, case.code, case.says, case.stability_only)


def test_every_hw2_problem_is_exercised():
    assert {c.problem for c in CASES} == set(HW2_PROBLEMS)


def test_a_wrong_backward_fails_gradcheck_and_the_backward_value(grade_hw2):
    source = LEGENDRE.format(forward="0.5 * (5 * x ** 3 - 3 * x)", backward="grad_output * 1.5 * (5 * x ** 2 - 3)")
    result = only(grade_hw2(source, "legendre_p3"))
    by_category: dict[str, list[dict]] = {}
    for check in result["checks"]:
        by_category.setdefault(check["category"], []).append(check)
    (gradcheck,) = by_category["gradcheck"]
    assert not gradcheck["passed"] and gradcheck["score"] == 0
    assert "gradcheck failed" in gradcheck["message"]
    for check in by_category["value"]:
        # forward is right, backward is not: half of each value check
        assert not check["passed"] and check["score"] == pytest.approx(check["max_score"] / 2)
    assert all(check["passed"] for check in by_category["shape"] + by_category["type"])


def test_a_scaled_legendre_keeps_gradcheck(grade_hw2):
    # 5x^3 - 3x with its own derivative: consistent, so gradcheck passes, but off by 2.
    source = LEGENDRE.format(forward="5 * x ** 3 - 3 * x", backward="grad_output * 3 * (5 * x ** 2 - 1)")
    result = only(grade_hw2(source, "legendre_p3"))
    assert result["diagnosis"] == "scaled"
    assert "off by a factor 2" in messages(result)
    (gradcheck,) = [check for check in result["checks"] if check["category"] == "gradcheck"]
    assert gradcheck["passed"]


def test_forbidden_torch_in_a_numpy_problem_leaves_the_others_graded(grade_hw2):
    source = """
import numpy as np
import torch

def tanh_regression_grad(w, b, x, y):
    w_t = torch.tensor(w, requires_grad=True)
    b_t = torch.tensor(b, requires_grad=True)
    loss = (y - torch.tanh(w_t * x + b_t)) ** 2
    loss.backward()
    return w_t.grad.item(), b_t.grad.item()

def gd_iterates(alpha, steps):
    return 100.0 * (1.0 - (1.0 - alpha) ** np.arange(steps + 1))

class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x ** 2 - 1)
"""
    # torch is allowed somewhere in hw2 (legendre_p3), so the module-level import
    # only condemns the function that uses it.
    document = grade_hw2(source, "tanh_regression", "gd_trajectory", "legendre_p3")
    results = {problem["id"]: problem for problem in document["problems"]}
    assert results["tanh_regression"]["diagnosis"] == "forbidden_import"
    assert results["tanh_regression"]["score"] == 0
    assert "derive it by hand" in messages(results["tanh_regression"])
    assert results["gd_trajectory"]["passed"]
    assert results["legendre_p3"]["passed"]


def test_a_module_level_sympy_import_condemns_every_problem(grade_hw2):
    document = grade_hw2("import sympy\nimport numpy as np\n\ndef gd_iterates(alpha, steps):\n    return np.zeros(steps + 1)\n")
    assert [problem["diagnosis"] for problem in document["problems"]] == ["forbidden_import"] * len(HW2_PROBLEMS)
    assert document["score"] == 0


def test_a_backward_wrong_only_on_hidden_trials_fails_gradcheck_without_showing_their_jacobians(grade_hw2):
    from assignments import load_assignment
    from graders.preparation import prepare
    from graders.problem import get_problem

    visible = prepare(get_problem("legendre_p3"), load_assignment("hw2").seed, 3, 0)[0].inputs["x"].shape[0]
    backward = f"grad_output * 1.5 * (5 * x ** 2 - 1) if x.shape[0] == {visible} else grad_output * 123.25 * x"
    result = only(grade_hw2(LEGENDRE.format(forward="0.5 * (5 * x ** 3 - 3 * x)", backward=backward), "legendre_p3"))
    (gradcheck,) = [check for check in result["checks"] if check["category"] == "gradcheck"]
    assert not gradcheck["passed"] and "gradcheck failed" in gradcheck["message"]
    assert "(hidden)" in gradcheck["message"] and "123.25" not in gradcheck["message"]
    assert "Jacobian" not in gradcheck["message"] and "tensor(" not in gradcheck["message"], gradcheck["message"]
