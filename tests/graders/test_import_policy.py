"""Imports are checked statically before running and again at run time."""

import ast

from graders import import_policy
from graders.assignment import DEFAULT_WEIGHTS, Assignment, ProblemConfig
from graders.engine import grade_source
from graders.import_policy import DEFAULT_ALLOWED
from graders.problem import get_problem

GOOD_SIGMOID = """
import numpy as np

def sigmoid_grad(x):
    s = 0.5 * (1 + np.tanh(0.5 * x))
    return s * (1 - s)
"""


def diagnoses(result):
    return {check["diagnosis"] for check in result["checks"] if not check["passed"]}


def test_torch_autograd_is_forbidden_before_running(grade):
    source = """
    import torch

    def sigmoid_grad(x):
        t = torch.tensor(x, requires_grad=True)
        torch.sigmoid(t).sum().backward()
        return t.grad.numpy()
    """
    result = grade("sigmoid", source)
    assert diagnoses(result) == {"forbidden_import"}
    assert "torch" in result["checks"][0]["message"] and "derive it by hand" in result["checks"][0]["message"]
    assert result["score"] == 0


def test_dynamic_imports_are_caught_at_run_time(grade):
    for trick in ('__import__("sym" + "py")', 'importlib.import_module("o" + "s")'):
        source = f"import importlib\nimport numpy as np\n\ndef sigmoid_grad(x):\n    m = {trick}\n    return x\n"
        # importlib itself is not on the allow-list: the static check stops it first
        assert diagnoses(grade("sigmoid", source)) == {"forbidden_import"}
    source = 'import numpy as np\n\ndef sigmoid_grad(x):\n    m = __import__("o" + "s")\n    return x\n'
    result = grade("sigmoid", source)
    assert diagnoses(result) == {"forbidden_import"}
    assert "`os`" in result["checks"][0]["message"]


def test_pure_standard_library_and_math_are_allowed(grade):
    source = GOOD_SIGMOID + "\nimport math, functools, itertools\nfrom collections import OrderedDict\n"
    result = grade("sigmoid", source)
    assert result["score"] == result["max_score"]


def test_os_subprocess_and_relative_imports_are_refused_statically():
    tree = ast.parse("import os\nfrom . import x\nimport numpy.linalg\n")
    use = import_policy.analyze(tree)
    bad = import_policy.violations(use, "f", DEFAULT_ALLOWED, DEFAULT_ALLOWED)
    assert [module for module, _ in bad] == ["os", "."]


def _two_problem_assignment(torch_for: str) -> Assignment:
    configs = []
    for pid in ("sigmoid", "softmax"):
        allowed = DEFAULT_ALLOWED | ({"torch"} if pid == torch_for else set())
        configs.append(ProblemConfig(get_problem(pid), weights=dict(DEFAULT_WEIGHTS), allowed_imports=frozenset(allowed)))
    return Assignment("t", "t", tuple(configs))


def test_a_module_allowed_for_one_problem_only_condemns_the_functions_that_use_it(runner):
    # A shared file may import torch for the one problem that allows it.
    source = """
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
    """
    import textwrap

    document = grade_source(textwrap.dedent(source), _two_problem_assignment("sigmoid"), runner=runner)
    sigmoid, softmax = document["problems"]
    assert sigmoid["score"] == sigmoid["max_score"]
    assert softmax["score"] == softmax["max_score"]

    sneaky = textwrap.dedent(source).replace("e = np.exp(x - x.max())", 'e = np.exp(x - x.max())\n    getattr(__import__("tor" + "ch"), "exp")')
    document = grade_source(sneaky, _two_problem_assignment("sigmoid"), runner=runner)
    assert document["problems"][1]["diagnosis"] == "forbidden_import"

    uses_torch = textwrap.dedent(source).replace("e = np.exp(x - x.max())", "e = torch.exp(torch.tensor(x - x.max())).numpy()")
    document = grade_source(uses_torch, _two_problem_assignment("sigmoid"), runner=runner)
    assert document["problems"][0]["score"] == document["problems"][0]["max_score"]
    assert document["problems"][1]["diagnosis"] == "forbidden_import"
