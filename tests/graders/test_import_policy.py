"""Imports are checked statically before running and again at run time."""

import ast
import textwrap

import pytest

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
    assert [violation.module for violation in bad] == ["os", "."]
    assert [violation.line for violation in bad] == [1, 2]


def _two_problem_assignment(torch_for: str) -> Assignment:
    configs = []
    for pid in ("sigmoid", "softmax"):
        allowed = DEFAULT_ALLOWED | ({"torch"} if pid == torch_for else set())
        configs.append(ProblemConfig(get_problem(pid), weights=dict(DEFAULT_WEIGHTS), allowed_imports=frozenset(allowed)))
    return Assignment("t", "t", tuple(configs))


# A module allowed for one problem only, graded through the sandbox: tests/assignments/test_module_level_torch.py


TORCH_TOO = DEFAULT_ALLOWED | {"torch"}


def reached(source: str, function: str = "f") -> list[tuple[str, int, str]]:
    """(module, line, helper) for each module that stops `function` when torch is allowed elsewhere."""
    use = import_policy.analyze(ast.parse(textwrap.dedent(source)))
    return [(v.module, v.line, v.via) for v in import_policy.violations(use, function, DEFAULT_ALLOWED, TORCH_TOO)]


# Each is (source, what stops `f`): a name spelled like a torch import is the import
# only where Python's scoping rules make it so.
SCOPE_CASES = {
    "a local assigned after the import": ("""
        from torch.autograd import grad
        import numpy as np
        def f(x):
            grad = np.ones_like(x)
            return grad
        """, []),
    "a parameter": ("""
        import torch
        def f(torch):
            return torch * 2
        """, []),
    "a comprehension variable": ("""
        from torch.autograd import grad
        def f(x):
            return [grad * 2 for grad in x]
        """, []),
    "a lambda parameter": ("""
        from torch.autograd import grad
        def f(x):
            g = lambda grad: grad + 1
            return g(x)
        """, []),
    "a name deleted in the function": ("""
        import torch
        def f(x):
            torch = 5
            del torch
            return x
        """, []),
    "an enclosing function's local, through nonlocal": ("""
        import torch
        def f(x):
            torch = 1
            def g():
                nonlocal torch
                torch = 2
                return torch
            return g()
        """, []),
    "a class attribute read in the class body": ("""
        import torch
        def f(x):
            class A:
                torch = 3
                y = torch + 1
            return A.y
        """, []),
    "an exception name": ("""
        import torch
        def f(x):
            try:
                return x
            except Exception as torch:
                return torch
        """, []),
    "a walrus in a comprehension (binds in the function)": ("""
        from torch.autograd import grad
        def f(x):
            values = [(grad := v) for v in x]
            return grad
        """, []),
    "the import itself": ("""
        from torch.autograd import grad
        def f(x):
            return grad(x)
        """, [("torch", 4, "")]),
    "a global declaration": ("""
        from torch.autograd import grad
        def f(x):
            global grad
            return grad
        """, [("torch", 5, "")]),
    "a method, which skips its class body": ("""
        import torch
        def f(x):
            class A:
                torch = 3
                def m(self):
                    return torch
            return A().m()
        """, [("torch", 7, "")]),
    "an alias": ("""
        import torch
        t = torch
        def f(x):
            return t.exp(x)
        """, [("torch", 5, "")]),
    "a chain of aliases": ("""
        import torch as T
        F = T.nn.functional
        act = F.relu
        def f(x):
            y = x
            return act(y)
        """, [("torch", 7, "")]),
    "a helper that uses it": ("""
        import torch
        def helper(x):
            return torch.exp(x)
        def f(x):
            return helper(x)
        """, [("torch", 4, "helper")]),
    "a default value": ("""
        import torch
        def f(x, e=torch.exp):
            return e(x)
        """, [("torch", 3, "")]),
    "a literal dynamic import at module level": ("""
        t = __import__("torch")
        def f(x):
            return t.exp(x)
        """, [("torch", 4, "")]),
    "an import into a global from another function": ("""
        def setup():
            global T
            import torch as T
        def f(x):
            return T.exp(x)
        """, [("torch", 6, "")]),
    "a module-level tensor": ("""
        import torch
        W = torch.ones(3)
        def f(x):
            return x + W.numpy()
        """, [("torch", 5, "")]),
}


@pytest.mark.parametrize("case", list(SCOPE_CASES), ids=list(SCOPE_CASES))
def test_names_are_resolved_by_scope_not_by_spelling(case):
    source, expected = SCOPE_CASES[case]
    assert reached(source) == expected


def test_module_level_use_of_an_allowed_module_condemns_no_function():
    source = """
    import numpy as np
    import torch
    torch.set_default_dtype(torch.float64)
    torch.manual_seed(0)

    def f(x):
        return np.exp(x)
    """
    assert reached(source) == []


def test_a_module_no_problem_allows_stops_only_what_imports_it_or_reaches_it():
    # Imported inside a helper that only the main block calls (a check against autograd or
    # scipy while working): the graded functions never run that import.
    source = """
    import numpy as np

    def f(x):
        return x

    def g(x):
        return _check(x)

    def _check(x):
        import scipy.optimize
        return x

    if __name__ == "__main__":
        _check(np.ones(3))
    """
    use = import_policy.analyze(ast.parse(textwrap.dedent(source)))
    assert import_policy.violations(use, "f", DEFAULT_ALLOWED, DEFAULT_ALLOWED) == []
    [violation] = import_policy.violations(use, "g", DEFAULT_ALLOWED, DEFAULT_ALLOWED)
    assert (violation.module, violation.via, violation.line) == ("scipy", "_check", 11)
    # At module level, loading the file runs it: every function is stopped.
    use = import_policy.analyze(ast.parse("import numpy as np\nimport scipy\ndef f(x):\n    return x\n"))
    assert [(v.module, v.line) for v in import_policy.violations(use, "f", DEFAULT_ALLOWED, DEFAULT_ALLOWED)] \
        == [("scipy", 2)]


def test_a_file_nested_too_deeply_for_the_scope_walk_is_read_by_spelling():
    depth = 2000
    source = "import torch\ndef f(x):\n    return " + "(" * 180 + "torch" + ")" * 180 + "\n"
    source += "def g(x):\n    y = " + " + ".join(["x"] * depth) + "\n    return y\n"
    use = import_policy.analyze(ast.parse(source))
    assert [v.module for v in import_policy.violations(use, "f", DEFAULT_ALLOWED, TORCH_TOO)] == ["torch"]
    assert import_policy.violations(use, "g", DEFAULT_ALLOWED, TORCH_TOO) == []


def test_the_message_names_the_module_the_function_and_the_line(runner):
    source = """
    import numpy as np
    import torch

    def helper(x):
        return torch.sigmoid(torch.tensor(x)).numpy()

    def sigmoid_grad(x):
        s = helper(x)
        return s * (1 - s)
    """
    document = grade_source(textwrap.dedent(source), _two_problem_assignment("softmax"), runner=runner)
    sigmoid = document["problems"][0]
    message = sigmoid["checks"][0]["message"]
    assert sigmoid["diagnosis"] == "forbidden_import"
    assert "`torch`" in message and "`sigmoid_grad` calls `helper`, which uses it on line 6" in message


def test_a_module_no_problem_allows_condemns_the_file_at_its_import_line(grade):
    result = grade("sigmoid", "import numpy as np\nimport torch\n\ndef sigmoid_grad(x):\n    return x\n")
    assert result["diagnosis"] == "forbidden_import"
    assert "`torch`" in result["checks"][0]["message"] and "your file imports it on line 2" in result["checks"][0]["message"]


def test_a_standard_library_module_that_reaches_the_system_is_refused_with_the_reason(grade):
    result = grade("sigmoid", "import numpy as np\nimport os\n\ndef sigmoid_grad(x):\n    return x\n")
    message = result["checks"][0]["message"]
    assert result["diagnosis"] == "forbidden_import"
    # "you may use pure standard-library modules" alone left the student asking why os is not one.
    assert "`os` is not allowed here: your file imports it on line 2" in message
    assert "in the standard library, but it reaches the system" in message and ") (" not in message


def test_the_testing_tools_students_leave_in_their_files_are_allowed_and_os_is_not(grade):
    tools = "import doctest\nimport logging\nimport timeit\nimport unittest\n"
    result = grade("sigmoid", tools + GOOD_SIGMOID + "\n\nclass T(unittest.TestCase):\n    pass\n")
    assert result["score"] == result["max_score"], diagnoses(result)
    refused = grade("sigmoid", "import os\n" + GOOD_SIGMOID)
    assert diagnoses(refused) == {"forbidden_import"}


def test_names_from_the_file_are_cut_short_in_the_message():
    # The message is repeated in every check of every problem: a name as long as the file
    # must not make the result document megabytes.
    long = "a" * 100_000
    source = f"import {long}\ndef {long}b(x):\n    import torch\n    return x\ndef f(x):\n    return {long}b(x)\n"
    use = import_policy.analyze(ast.parse(source))
    messages = [import_policy.describe(v, DEFAULT_ALLOWED) for v in import_policy.violations(use, "f", DEFAULT_ALLOWED,
                                                                                              DEFAULT_ALLOWED | {"torch"})]
    assert len(messages) == 2 and all(len(message) < 400 for message in messages), [len(m) for m in messages]
    assert any("`aaaa" in message and "...`" in message and "calls" in message for message in messages)
