"""The mistakes TAs see on hw1, written as students write them: each loses marks
with the diagnosis a student can act on."""

from dataclasses import dataclass

import pytest

from tests.assignments.results import assert_mistake_diagnosed, by_id


@dataclass(frozen=True)
class Case:
    problem: str
    name: str
    source: str
    code: str
    says: tuple[str, ...] = ()  # fragments the student must read
    stability_only: bool = False  # right on regular trials, fails only on large inputs


STABLE_SIGMOID = "0.5 * (1.0 + np.tanh(0.5 * {0}))"


def net(d_theta: str = "y_hat - y", d_z: str = "(U.T @ d_theta) * (z > 0)", result: str = "") -> str:
    """A one_layer_net_grads with one line changed."""
    result = result or '{"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}'
    return f"""
import numpy as np

def one_layer_net_grads(x, y, W, b1, U, b2):
    z = W @ x + b1
    h = np.maximum(z, 0)
    theta = U @ h + b2
    e = np.exp(theta - theta.max())
    y_hat = e / e.sum()
    d_theta = {d_theta}
    d_z = {d_z}
    return {result}
"""


CASES = [
    # sigmoid
    Case("sigmoid", "naive exp overflows", """
import numpy as np
def sigmoid_grad(x):
    return np.exp(-x) / (1 + np.exp(-x)) ** 2
""", "not_finite", ("overflows or underflows at large inputs", "e^(-x) / (1 + e^(-x))^2"), stability_only=True),
    Case("sigmoid", "returned transposed", f"""
import numpy as np
def sigmoid_grad(x):
    s = {STABLE_SIGMOID.format("x")}
    return (s * (1 - s)).T
""", "transposed", ("looks transposed",)),
    Case("sigmoid", "sigma instead of its derivative", f"""
import numpy as np
def sigmoid_grad(x):
    return {STABLE_SIGMOID.format("x")}
""", "wrong_value", ("sigma(x) itself",)),
    Case("sigmoid", "flattened", f"""
import numpy as np
def sigmoid_grad(x):
    s = {STABLE_SIGMOID.format("x").replace("x)", "x.ravel())")}
    return s * (1 - s)
""", "wrong_shape", ("shape (12,)", "shape (3, 4)")),
    Case("sigmoid", "forgot return", f"""
import numpy as np
def sigmoid_grad(x):
    s = {STABLE_SIGMOID.format("x")}
    s * (1 - s)
""", "wrong_type", ("forget a `return`",)),
    Case("sigmoid", "misnamed function", f"""
import numpy as np
def sigmoid_gradient(x):
    s = {STABLE_SIGMOID.format("x")}
    return s * (1 - s)
""", "missing_function", ("does not define sigmoid_grad",)),
    # softmax
    Case("softmax", "diagonal only", """
import numpy as np
def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s * (1 - s))
""", "diagonal_only", ("only its diagonal",)),
    Case("softmax", "no max subtracted", """
import numpy as np
def softmax_jacobian(x):
    s = np.exp(x) / np.sum(np.exp(x))
    return np.diagflat(s) - s @ s.T
""", "not_finite", ("overflows or underflows at large inputs",), stability_only=True),
    Case("softmax", "outer product added", """
import numpy as np
def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) + s @ s.T
""", "wrong_value", ("diag(s) + s s^T",)),
    Case("softmax", "returned the softmax", """
import numpy as np
def softmax_jacobian(x):
    e = np.exp(x - x.max())
    return e / e.sum()
""", "wrong_shape", ("shape (5, 1)", "shape (5, 5)")),
    Case("softmax", "torch.autograd does the work", """
import torch
def softmax_jacobian(x):
    t = torch.tensor(x[:, 0])
    return torch.autograd.functional.jacobian(lambda v: torch.softmax(v, 0), t).T.numpy()
""", "forbidden_import", ("`torch`", "derive it by hand")),
    # softplus
    Case("softplus", "sign flipped", f"""
import numpy as np
def softplus_grad(x, beta):
    return -{STABLE_SIGMOID.format("(beta * x)")}
""", "sign_flipped", ("sign flipped",)),
    Case("softplus", "beta missing inside", """
import numpy as np
def softplus_grad(x, beta):
    return 1 / (1 + np.exp(-x))
""", "wrong_value", ("beta inside the exponential is missing",)),
    Case("softplus", "the 1/beta in front forgotten", f"""
import numpy as np
def softplus_grad(x, beta):
    return beta * {STABLE_SIGMOID.format("(beta * x)")}
""", "scaled", ("beta = ", "1/beta")),
    Case("softplus", "naive exp overflows", """
import numpy as np
def softplus_grad(x, beta):
    return np.exp(beta * x) / (1 + np.exp(beta * x))
""", "not_finite", ("overflows or underflows at large inputs",), stability_only=True),
    Case("softplus", "infinite loop", """
import numpy as np
def softplus_grad(x, beta):
    step = 1.0
    while step > 0:
        step = step * 0.5 + 1e-300
    return x
""", "timeout", ("infinite loop",)),
    Case("softplus", "torch smuggled in dynamically", """
import numpy as np
def softplus_grad(x, beta):
    torch = __import__("tor" + "ch")
    return torch.sigmoid(torch.tensor(beta * x)).numpy()
""", "forbidden_import", ("`torch`",)),
    # l2_loss
    Case("l2_loss", "kept the 2 and the 1/2", """
import numpy as np
def l2_loss_grad(w, x, y):
    return 2 * ((w.T @ x).item() - y) * x
""", "scaled", ("factor 2",)),
    Case("l2_loss", "row vector", """
import numpy as np
def l2_loss_grad(w, x, y):
    return ((w.T @ x).item() - y) * x.T
""", "transposed", ("shape (1, 5)", "looks transposed")),
    Case("l2_loss", "1-D result", """
import numpy as np
def l2_loss_grad(w, x, y):
    return (np.dot(w.ravel(), x.ravel()) - y) * x.ravel()
""", "wrong_shape", ("reshape to (n, 1)",)),
    Case("l2_loss", "float() of a (1, 1) array", """
import numpy as np
def l2_loss_grad(w, x, y):
    return (float(w.T @ x) - y) * x
""", "exception", ("submission.py", "TypeError")),
    Case("l2_loss", "differentiated with respect to x", """
import numpy as np
def l2_loss_grad(w, x, y):
    return ((w.T @ x).item() - y) * w
""", "wrong_value", ("gradient with respect to x",)),
    # l2_loss_batch
    Case("l2_loss_batch", "missing 1/m", """
import numpy as np
def l2_loss_batch_grad(w, X, y):
    return X.T @ (X @ w - y)
""", "scaled", ("m = 6 times", "1/m")),
    Case("l2_loss_batch", "X instead of X^T", """
import numpy as np
def l2_loss_batch_grad(w, X, y):
    return X @ (X @ w - y) / X.shape[0]
""", "exception", ("ValueError", "matmul")),
    Case("l2_loss_batch", "the y term dropped", """
import numpy as np
def l2_loss_batch_grad(w, X, y):
    return X.T @ X @ w / len(X)
""", "wrong_value", ("-X^T y / m term is missing",)),
    Case("l2_loss_batch", "returned the loss", """
import numpy as np
def l2_loss_batch_grad(w, X, y):
    return float(np.mean((X @ w - y) ** 2) / 2)
""", "wrong_shape", ("a scalar", "shape (4, 1)")),
    Case("l2_loss_batch", "returned a message", """
def l2_loss_batch_grad(w, X, y):
    return "not done yet"
""", "wrong_type", ("str",)),
    # one_layer_net
    Case("one_layer_net", "dW transposed (numerator layout)", net(
        result='{"W": x @ d_z.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta, "x": W.T @ d_z}'),
        "transposed", ('"W"', "shape (5, 4)", "looks transposed")),
    Case("one_layer_net", "ReLU mask missing", net(d_z="U.T @ d_theta"),
         "wrong_value", ("ReLU derivative",)),
    Case("one_layer_net", "z in place of h in dU", net(
        result='{"W": d_z @ x.T, "b1": d_z, "U": d_theta @ z.T, "b2": d_theta, "x": W.T @ d_z}'),
        "wrong_value", ('"U"', "pre-activation z")),
    Case("one_layer_net", "y forgotten", net(d_theta="y_hat"), "wrong_value", ("the -y term is missing",)),
    Case("one_layer_net", "y - y_hat", net(d_theta="y - y_hat"), "sign_flipped", ("sign flipped",)),
    Case("one_layer_net", "tuple instead of dict", net(
        result="d_z @ x.T, d_z, d_theta @ h.T, d_theta, W.T @ d_z"), "wrong_type", ("expected a dict",)),
    Case("one_layer_net", "dx forgotten", net(
        result='{"W": d_z @ x.T, "b1": d_z, "U": d_theta @ h.T, "b2": d_theta}'), "wrong_type", ('"x"',)),
    Case("one_layer_net", "naive softmax", net(d_theta="np.exp(theta) / np.exp(theta).sum() - y"),
         "not_finite", ("overflows or underflows at large inputs",), stability_only=True),
]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.problem}: {c.name}" for c in CASES])
def test_a_common_mistake_gets_its_diagnosis(grade_hw1, case):
    result = by_id(grade_hw1(case.source, case.problem))[case.problem]
    assert_mistake_diagnosed(result, case.code, case.says, case.stability_only)


def test_every_hw1_problem_is_exercised(hw1):
    assert {c.problem for c in CASES} == {config.problem.id for config in hw1.problems}


def test_a_mistake_in_one_output_keeps_the_credit_for_the_others(grade_hw1):
    result = by_id(grade_hw1(net(result='{"W": d_z @ x.T, "b1": d_z, "U": d_theta @ z.T, "b2": d_theta, '
                                    '"x": W.T @ d_z}'), "one_layer_net"))["one_layer_net"]
    values = [c for c in result["checks"] if c["category"] == "value"]
    assert all(not c["passed"] for c in values)
    # four of the five gradients are right on every trial: 4/5 of the value points remain
    assert sum(c["score"] for c in values) == pytest.approx(0.8 * sum(c["max_score"] for c in values), abs=1e-3)
    assert all(c["passed"] for c in result["checks"] if c["category"] in ("type", "shape", "finite"))


def test_a_syntax_error_or_a_module_level_torch_import_blocks_every_problem(grade_hw1, hw1):
    broken = grade_hw1("import numpy as np\ndef sigmoid_grad(x)\n    return x\n")
    assert {p["diagnosis"] for p in broken["problems"]} == {"syntax_error"}
    assert broken["score"] == 0
    with_torch = grade_hw1("import numpy as np\nimport torch\n\ndef sigmoid_grad(x):\n    return x\n", "sigmoid", "l2_loss")
    assert {p["diagnosis"] for p in with_torch["problems"]} == {"forbidden_import"}
    assert with_torch["score"] == 0
