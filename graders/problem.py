"""A gradient problem as data, and the registry every part of nablagrade reads.

A problem module declares *what* the student computes (a forward function in
torch and which variables to differentiate); the engine derives the reference,
the expected shapes, the finite-difference validation and the self-test
variants from that declaration.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from importlib.metadata import entry_points
from typing import Any

import numpy as np

from graders.harness import HarnessKind

Inputs = dict[str, Any]  # parameter name -> float64 ndarray or Python float


class TrialKind(Enum):
    REGULAR = "regular"
    STABILITY = "stability"


@dataclass(frozen=True)
class Trial:
    """One set of inputs: which kind, its index, and whether students see it. A
    stability trial also has its case: which of the problem's `stability_cases`
    (the large inputs of one sign, say) it tries, and that case's words. A hidden
    trial may carry `sizes_seed`: the hidden trials of one set draw their free sizes
    from it (`sampling.free_sizes`), so they share them."""

    kind: TrialKind
    index: int
    visible: bool
    case: int = 0
    note: str = ""
    sizes_seed: tuple[int, ...] | None = None

    @property
    def label(self) -> str:
        if self.kind is TrialKind.STABILITY:
            return f"stability trial ({self.note or 'large inputs'})"
        return f"trial {self.index + 1} ({'visible' if self.visible else 'hidden'})"


class Returns(Enum):
    """How the student hands back the derivatives of the `wrt` variables."""

    ARRAY = "array"  # one array: the derivative with respect to the single wrt variable
    TUPLE = "tuple"  # a tuple (or list) in wrt order
    DICT = "dict"  # a dict keyed by the wrt names


class Derivative(Enum):
    """What the reference is, given the forward function."""

    GRADIENT = "gradient"  # forward returns a scalar: gradient, shaped like each variable
    ELEMENTWISE = "elementwise"  # forward is elementwise: derivative, shaped like the variable
    JACOBIAN = "jacobian"  # forward returns a vector y: J[i, j] = dy_j/dx_i (denominator layout)
    CUSTOM = "custom"  # the problem computes its reference itself


@dataclass(frozen=True)
class Mistake:
    """A wrong answer students often give, written as a student would write it.

    `solution` is a self-contained numpy function with the student function's
    signature and return format. The engine evaluates it (trusted instructor
    code) on every trial, so a student answer that matches it gets `hint`; the
    self-test submits it as a wrong variant and expects diagnosis `expect`.
    """

    name: str
    hint: str
    solution: Callable[..., Any]
    expect: str = "wrong_value"
    # The regular trials on which this mistake changes the answer, when not all of them
    # can (a forgotten label y is invisible where y = +1). The self-test proves it is
    # caught on every such trial, and on the hidden trials of every hidden trial set.
    observable: Callable[[Inputs], bool] | None = None


@dataclass(frozen=True)
class Problem:
    """A bank problem. See docs/authoring.md ("Adding a problem") for a full example."""

    id: str
    title: str
    statement: str  # Markdown with LaTeX
    function: str  # the name the student defines
    params: tuple[str, ...]  # the student function's parameters, in call order
    sample: Callable[[np.random.Generator, Trial], Inputs]
    forward: Callable[..., Any] | None  # torch forward on float64 tensors
    wrt: tuple[str, ...]
    derivative: Derivative = Derivative.GRADIENT
    returns: Returns = Returns.ARRAY
    stability: bool = False  # add trials with inputs near +-1000 (or shifted logits)
    # One stability trial per case, each described in the words of its check ("logits
    # shifted by +1000"): every sign for which the statement promises nothing overflows.
    stability_cases: tuple[str, ...] = ("large inputs",)
    allowed_imports: frozenset[str] = frozenset()  # beyond the assignment's list
    mistakes: tuple[Mistake, ...] = ()
    # A correct numpy solution, self-contained (its source is submitted by the
    # self-test); for the torch_function harness, a correct autograd.Function class.
    solution: Callable[..., Any] | None = None
    # CUSTOM problems: reference(inputs, gradient) -> {output: array}, where
    # gradient(f, tensor) differentiates a scalar function; the engine calls it
    # once with autograd and once with finite differences to validate it.
    reference: Callable[..., Mapping[str, Any]] | None = None
    harness: HarnessKind = HarnessKind.CALL
    skip_variants: frozenset[str] = frozenset()  # self-test variants that make no sense here
    # When a scaled answer is off by a size of the problem (1/m), name it.
    scale_names: Callable[[Inputs], Mapping[str, float]] | None = None
    # The sizes the statement leaves free (n, or m and n), read from a trial's inputs.
    # Hidden trials must use other sizes than the visible ones, so an answer that
    # hard-codes what it saw fails (checked by the tests and the self-test).
    sizes: Callable[[Inputs], tuple[int, ...]] | None = None

    @property
    def signature(self) -> str:
        kind = "class" if self.harness is HarnessKind.TORCH_FUNCTION else "def"
        if kind == "class":
            return f"class {self.function}(torch.autograd.Function)"
        return f"def {self.function}({', '.join(self.params)})"

    @property
    def outputs(self) -> tuple[str, ...]:
        """Names of the output tensors the checks compare, in order."""
        if self.harness is HarnessKind.TORCH_FUNCTION:
            return ("forward", "backward")
        if self.derivative is Derivative.CUSTOM and self.returns is Returns.ARRAY:
            return ("result",)
        return self.wrt


_REGISTRY: dict[str, Problem] = {}


def register(problem: Problem) -> Problem:
    """Declare a problem once; the engine, the CLI and the web app read it from here."""
    existing = _REGISTRY.get(problem.id)
    if existing is not None and existing is not problem:
        raise ValueError(f"problem id {problem.id!r} is registered twice")
    _REGISTRY[problem.id] = problem
    return problem


def get_problem(problem_id: str) -> Problem:
    _load_bank()
    try:
        return _REGISTRY[problem_id]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown problem {problem_id!r}; known problems: {known}") from None


def all_problems() -> list[Problem]:
    _load_bank()
    return list(_REGISTRY.values())


_bank_loaded = False
_BANK_LOCK = threading.RLock()


def _load_bank() -> None:
    """Problems register themselves when their module is imported: by the caller, or by
    every package that declares a `nablagrade.problems` entry point (the project's own
    bank in assignments/ does), so the engine never imports a bank by name."""
    global _bank_loaded
    if _bank_loaded:
        return
    with _BANK_LOCK:  # threads grading at once must not see a half-loaded bank
        if _bank_loaded:
            return
        for entry in entry_points(group="nablagrade.problems"):
            entry.load()
        _bank_loaded = True
