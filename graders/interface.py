"""What a student must write for a problem, exactly: the signature, the shapes of the inputs and
of what to return on the visible trial, and a starter file with signatures and docstrings only
(never a solution)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from graders.assignment import DEFAULT_TRIALS, Assignment
from graders.harness import HarnessKind
from graders.preparation import prepare
from graders.problem import Problem, Returns, get_problem


def _shape(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return "(" + ", ".join(str(n) for n in value.shape) + ("," if value.ndim == 1 else "") + ")"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return type(value).__name__


@dataclass(frozen=True)
class Interface:
    """A problem's contract on the visible trial; hidden trials may use other sizes."""

    problem_id: str
    signature: str
    inputs: tuple[tuple[str, str], ...]  # (parameter, shape or type)
    outputs: tuple[tuple[str, str], ...]  # (output, shape)
    returns: str  # how the outputs are handed back, in words


def _returns(problem: Problem) -> str:
    if problem.harness is HarnessKind.TORCH_FUNCTION:
        return "a torch.autograd.Function class: forward(ctx, x) and backward(ctx, grad_output)"
    outputs = problem.outputs
    if problem.returns is Returns.DICT:
        return "a dict with the keys " + ", ".join(f'"{name}"' for name in outputs)
    if problem.returns is Returns.TUPLE:
        return "a tuple in this order: " + ", ".join(outputs)
    return "one numpy array"


@lru_cache(maxsize=256)
def describe(problem_id: str, seed: int, trials: int = DEFAULT_TRIALS) -> Interface:
    """The interface of `problem_id` with the shapes of the visible trial of `seed`, read from the
    stored references the grading uses (so a warm cache needs no torch here either)."""
    problem = get_problem(problem_id)
    visible = next(p for p in prepare(problem, seed, trials) if p.trial.visible)
    inputs, expected = visible.inputs, visible.expected
    return Interface(
        problem_id=problem.id,
        signature=problem.signature,
        inputs=tuple((name, _shape(inputs[name])) for name in problem.params if name in inputs),
        outputs=tuple((name, _shape(np.asarray(value))) for name, value in expected.items()),
        returns=_returns(problem),
    )


def _docstring(problem: Problem, interface: Interface, indent: str) -> str:
    lines = [problem.title + ".", ""]
    lines += [f"{name}: {shape}" for name, shape in interface.inputs]
    if problem.returns is Returns.ARRAY and len(interface.outputs) == 1:
        lines += ["", f"Returns one numpy array of shape {interface.outputs[0][1]}."]
    else:
        lines += ["", f"Returns {interface.returns}:"]
        lines += [f"{name}: {shape}" for name, shape in interface.outputs]
    lines += ["", "Shapes are those of the visible trial; hidden trials use other sizes."]
    body = "\n".join(lines)
    return textwrap.indent(f'"""{body}\n"""', indent).lstrip()


def _stub(problem: Problem, interface: Interface) -> str:
    if problem.harness is HarnessKind.TORCH_FUNCTION:
        return (f"class {problem.function}(torch.autograd.Function):\n"
                f"    {_docstring(problem, interface, '    ')}\n\n"
                "    @staticmethod\n    def forward(ctx, x):\n        raise NotImplementedError\n\n"
                "    @staticmethod\n    def backward(ctx, grad_output):\n        raise NotImplementedError\n")
    return (f"{problem.signature}:\n"
            f"    {_docstring(problem, interface, '    ')}\n"
            "    raise NotImplementedError\n")


def starter_source(assignment: Assignment) -> str:
    """A file the student can fill in: every function of the assignment with its signature and a
    docstring giving the shapes, each raising NotImplementedError."""
    problems = [config.problem for config in assignment.problems]
    needs_torch = any(p.harness is HarnessKind.TORCH_FUNCTION for p in problems)
    parts = [f'"""{assignment.title}: starter file.\n\n'
             "Write each function below (numpy arrays in, numpy arrays out; vectors are columns of\n"
             'shape (n, 1)), then upload this file. Gradients use denominator layout."""\n',
             "import numpy as np\n" + ("import torch\n" if needs_torch else "")]
    for config in assignment.problems:
        parts.append(_stub(config.problem, describe(config.problem.id, assignment.seed, config.trials)))
    return "\n\n".join(parts)
