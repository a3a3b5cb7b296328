"""A file that uses torch at module level loads whenever the assignment allows torch
for one of the problems it grades; only a function that uses torch while it is
graded for a problem that forbids it is refused, with the module and the line.

Graded through the sandbox (see conftest.py): the torch parent serves such a file's
numpy problems too, and watches their calls for torch."""

import textwrap

import pytest

from graders.assignment import DEFAULT_WEIGHTS, Assignment, ProblemConfig
from graders.engine import grade_source
from graders.import_policy import DEFAULT_ALLOWED
from graders.problem import get_problem

LEGENDRE = '''

class LegendrePolynomial3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x**3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x**2 - 1)
'''

COURSE_NOTES_STYLE = '''
import numpy as np
import torch
from torch.autograd import grad

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
dtype = torch.float64
device = torch.device("cpu")


def quadratic_form_grad(x, A, z):
    grad = (A + A.T) @ x  # a local that shares its name with the torch import
    return grad + z


def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = w[t] - alpha * (w[t] - 100.0)
    return w
''' + LEGENDRE + '''

# The student's own check, at module level: torch is allowed for this file.
x0 = torch.linspace(-1, 1, 5, dtype=dtype, device=device, requires_grad=True)
(g,) = grad(LegendrePolynomial3.apply(x0).sum(), x0)
assert torch.allclose(g, 1.5 * (5 * x0.detach() ** 2 - 1))
print("self-check passed")
'''

PROBLEMS = ("quadratic_form", "gd_trajectory", "legendre_p3")


def by_id(document):
    return {problem["id"]: problem for problem in document["problems"]}


def test_module_level_torch_loads_and_every_problem_gets_full_marks(grade_hw2):
    document = grade_hw2(COURSE_NOTES_STYLE, *PROBLEMS)
    assert document["score"] == document["max_score"], [
        (p["id"], [c["message"] for c in p["checks"] if not c["passed"]]) for p in document["problems"]]
    assert "self-check passed" in document["output"]


@pytest.mark.parametrize("use, line", [
    # a dynamic import the static check cannot see
    ('    t = __import__("tor" + "ch")\n    return t.tensor(grad + z).numpy()', 14),
    # the same, with the refusal caught and ignored
    ('    try:\n        getattr(__import__("tor" + "ch"), "exp")\n    except Exception:\n        pass\n'
     '    return grad + z', 15),
])
def test_a_numpy_function_that_uses_torch_while_graded_is_refused_with_its_line(grade_hw2, use, line):
    source = COURSE_NOTES_STYLE.replace("    return grad + z", use)
    results = by_id(grade_hw2(source, *PROBLEMS))
    quadratic = results["quadratic_form"]
    message = quadratic["checks"][0]["message"]
    assert quadratic["diagnosis"] == "forbidden_import" and quadratic["score"] == 0
    assert "`torch`" in message and f"line {line}" in message, message
    assert results["gd_trajectory"]["passed"] and results["legendre_p3"]["passed"]


def test_a_module_level_torch_value_used_in_a_numpy_function_is_refused_before_it_runs(grade_hw2):
    source = COURSE_NOTES_STYLE.replace("    return grad + z", "    return grad + z + 0 * x0.detach().numpy().sum()")
    results = by_id(grade_hw2(source, *PROBLEMS))
    message = results["quadratic_form"]["checks"][0]["message"]
    assert results["quadratic_form"]["diagnosis"] == "forbidden_import"
    assert "`quadratic_form_grad` uses it on line 14" in message
    assert results["gd_trajectory"]["passed"] and results["legendre_p3"]["passed"]


def test_a_torch_import_the_static_check_cannot_see_loads_against_a_stand_in(grade_hw2):
    # No import statement names torch: the file goes to the numpy sandbox, which has no
    # torch at all, and loads anyway; touching the stand-in while graded is refused.
    source = '''
import numpy as np
torch = __import__("".join(["to", "rch"]))
torch.set_default_dtype(torch.float64)
SCALE = torch.ones(1)


def gd_iterates(alpha, steps):
    w = np.zeros(steps + 1)
    for t in range(steps):
        w[t + 1] = w[t] - alpha * (w[t] - 100.0)
    return w


def quadratic_form_grad(x, A, z):
    return ((A + A.T) @ x + z) * SCALE
'''
    results = by_id(grade_hw2(source, "quadratic_form", "gd_trajectory", "legendre_p3"))
    assert results["gd_trajectory"]["passed"]
    message = results["quadratic_form"]["checks"][0]["message"]
    assert results["quadratic_form"]["diagnosis"] == "forbidden_import"
    assert "`torch`" in message and "line 16" in message, message


def test_without_a_problem_that_allows_torch_the_import_condemns_the_file(grade_hw2):
    source = COURSE_NOTES_STYLE.split("class LegendrePolynomial3")[0].replace("from torch.autograd import grad\n", "")
    results = by_id(grade_hw2(source, "quadratic_form", "gd_trajectory"))
    for result in results.values():
        assert result["diagnosis"] == "forbidden_import"
        assert "your file imports it on line 3" in result["checks"][0]["message"]


def _two_problem_assignment(torch_for: str) -> Assignment:
    configs = []
    for pid in ("sigmoid", "softmax"):
        allowed = DEFAULT_ALLOWED | ({"torch"} if pid == torch_for else set())
        configs.append(ProblemConfig(get_problem(pid), weights=dict(DEFAULT_WEIGHTS), allowed_imports=frozenset(allowed)))
    return Assignment("t", "t", tuple(configs))


def test_a_module_allowed_for_one_problem_only_condemns_the_functions_that_use_it(sandbox_runner):
    source = textwrap.dedent("""
    import numpy as np
    import torch

    def sigmoid_grad(x):
        t = torch.tensor(x, requires_grad=True)
        torch.sigmoid(t).sum().backward()
        return t.grad.numpy()

    def softmax_jacobian(x):
        e = np.exp(x - x.max())
        s = e / e.sum()
        return np.diagflat(s) - s @ s.T
    """)
    document = grade_source(source, _two_problem_assignment("sigmoid"), runner=sandbox_runner)
    sigmoid, softmax = document["problems"]
    assert sigmoid["score"] == sigmoid["max_score"]
    assert softmax["score"] == softmax["max_score"]

    sneaky = source.replace("e = np.exp(x - x.max())", 'e = np.exp(x - x.max())\n    getattr(__import__("tor" + "ch"), "exp")')
    document = grade_source(sneaky, _two_problem_assignment("sigmoid"), runner=sandbox_runner)
    assert document["problems"][1]["diagnosis"] == "forbidden_import"

    uses_torch = source.replace("e = np.exp(x - x.max())", "e = torch.exp(torch.tensor(x - x.max())).numpy()")
    document = grade_source(uses_torch, _two_problem_assignment("sigmoid"), runner=sandbox_runner)
    assert document["problems"][0]["score"] == document["problems"][0]["max_score"]
    assert document["problems"][1]["diagnosis"] == "forbidden_import"
    assert "`softmax_jacobian` uses it on line 11" in document["problems"][1]["checks"][0]["message"]
