"""`nablagrade selftest`: prove the bank is sound.

For every problem, its own solution must score full marks, and wrong variants
made from it must score less with the right diagnosis: transposed,
sign-flipped, scaled x2 and x0.5, diagonal-only for Jacobians, and every
mistake in the problem's catalog (the "one term dropped" kind lives there,
since which term can be dropped is a fact about the formula). Each variant is
submitted as source text through the real runner, as a student's file would be.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from graders.assignment import ad_hoc
from graders.diagnosis import Code
from graders.engine import grade_source, prepare
from graders.harness import HarnessKind
from graders.problem import Derivative, Problem, all_problems, get_problem
from graders.runner import Runner


@dataclass(frozen=True)
class Variant:
    name: str
    expect: Code | None  # None: must score full marks
    source: str
    hint: str = ""  # catalog mistakes: the hint must reach the student


@dataclass(frozen=True)
class VariantOutcome:
    problem: str
    variant: str
    expect: Code | None
    got: Code | None
    score: float
    max_score: float
    ok: bool
    why: str


# name -> (numpy transform, torch transform, expected diagnosis)
TRANSFORMS: dict[str, tuple[str, str, Code]] = {
    "transposed": ("a.T if a.ndim == 2 else a", "t", Code.TRANSPOSED),
    "sign_flipped": ("-a", "-t", Code.SIGN_FLIPPED),
    "scaled_x2": ("2.0 * a", "2.0 * t", Code.SCALED),
    "scaled_x0.5": ("0.5 * a", "0.5 * t", Code.SCALED),
    "diagonal_only": ("np.diag(np.diag(a)) if a.ndim == 2 and a.shape[0] == a.shape[1] else a", "t",
                      Code.DIAGONAL_ONLY),
}


def _source_of(obj: Callable) -> str:
    return textwrap.dedent(inspect.getsource(obj))


def solution_source(problem: Problem, solution: Callable | None = None) -> str:
    """A student-style file from a self-contained solution (or mistake) function."""
    solution = solution or problem.solution
    if solution is None:
        raise ValueError(f"problem {problem.id} has no solution")
    header = "import torch\n" if problem.harness is HarnessKind.TORCH_FUNCTION else ""
    header += "import numpy as np\n\n\n"
    alias = "" if solution.__name__ == problem.function else f"\n\n{problem.function} = {solution.__name__}\n"
    return header + _source_of(solution) + alias


def _wrapped(problem: Problem, numpy_transform: str, torch_transform: str) -> str:
    base = solution_source(problem)
    name = problem.function
    if problem.harness is HarnessKind.TORCH_FUNCTION:
        return base + textwrap.dedent(f"""

            _nabla_correct = {name}


            class {name}(torch.autograd.Function):
                @staticmethod
                def forward(ctx, x):
                    t = _nabla_correct.forward(ctx, x)
                    return {torch_transform}

                @staticmethod
                def backward(ctx, grad_output):
                    t = _nabla_correct.backward(ctx, grad_output)
                    return {torch_transform}
            """)
    return base + textwrap.dedent(f"""

        def _nabla_transform(value):
            if isinstance(value, dict):
                return {{key: _nabla_transform(item) for key, item in value.items()}}
            if isinstance(value, (tuple, list)):
                return type(value)(_nabla_transform(item) for item in value)
            a = np.asarray(value, dtype=float)
            return {numpy_transform}


        _nabla_correct = {name}


        def {name}(*args):
            return _nabla_transform(_nabla_correct(*args))
        """)


def _applies(problem: Problem, variant: str, seed: int) -> bool:
    """A variant only counts if it really changes the answer (a symmetric
    Jacobian is its own transpose; a 1-D result has no transpose)."""
    if variant in problem.skip_variants:
        return False
    if variant == "diagonal_only" and problem.derivative is not Derivative.JACOBIAN:
        return False
    numpy_transform = TRANSFORMS[variant][0]
    if problem.harness is HarnessKind.TORCH_FUNCTION and TRANSFORMS[variant][1] == "t":
        return False
    for trial in prepare(problem, seed, 3):
        for expected in trial.expected.values():
            a = expected
            changed = eval(numpy_transform, {"np": np, "a": a})  # noqa: S307 - our own constant strings
            if changed.shape != a.shape or not np.allclose(changed, a, rtol=1e-9, atol=0):
                return True
    return False


def variants_for(problem: Problem, seed: int) -> list[Variant]:
    variants = [Variant("correct", None, solution_source(problem))]
    for name, (numpy_transform, torch_transform, code) in TRANSFORMS.items():
        if _applies(problem, name, seed):
            variants.append(Variant(name, code, _wrapped(problem, numpy_transform, torch_transform)))
    for mistake in problem.mistakes:
        variants.append(Variant(f"mistake:{mistake.name}", Code(mistake.expect),
                                solution_source(problem, mistake.solution), hint=mistake.hint))
    return variants


def check_problem(problem: Problem, runner: Runner, seed: int) -> list[VariantOutcome]:
    assignment = ad_hoc([problem], seed=seed)
    outcomes = []
    for variant in variants_for(problem, seed):
        document = grade_source(variant.source, assignment, runner=runner, seed=seed)
        result = document["problems"][0]
        got = Code(result["diagnosis"]) if result["diagnosis"] else None
        score, max_score = result["score"], result["max_score"]
        if variant.expect is None:
            ok = score >= max_score - 1e-9 and got is None
            why = "full marks" if ok else f"the solution lost points ({got})"
        else:
            ok = score < max_score - 1e-9 and got is variant.expect
            why = f"scored {score:g}/{max_score:g}, diagnosis {got}"
            if ok and variant.hint:
                messages = " ".join(check["message"] for check in result["checks"])
                ok = variant.hint in messages
                if not ok:
                    why += " but the catalog hint was not shown"
        outcomes.append(VariantOutcome(problem.id, variant.name, variant.expect, got, score, max_score, ok, why))
    return outcomes


def run_selftest(runner: Runner, only: list[str] | None = None, verbose: bool = False, seed: int = 20260901) -> int:
    """Print one line per problem (per variant with --verbose); exit code 0 when sound."""
    problems = [get_problem(pid) for pid in only] if only else sorted(all_problems(), key=lambda p: p.id)
    failures = 0
    for problem in problems:
        outcomes = check_problem(problem, runner, seed)
        bad = [o for o in outcomes if not o.ok]
        failures += len(bad)
        print(f"{problem.id:<16} {'ok  ' if not bad else 'FAIL'} {len(outcomes)} variants")
        for outcome in outcomes if verbose else bad:
            expect = outcome.expect.value if outcome.expect else "full marks"
            print(f"    {'ok  ' if outcome.ok else 'FAIL'} {outcome.variant:<28} expected {expect:<16} {outcome.why}")
    print(f"selftest: {len(problems)} problems, {failures} failures")
    return 0 if failures == 0 else 1
