"""`nablagrade selftest`: prove the bank is sound.

For every problem, its own solution must score full marks, and wrong variants
made from it must score less with the right diagnosis: transposed,
sign-flipped, scaled x2 and x0.5, diagonal-only for Jacobians, and every
mistake in the problem's catalog (the "one term dropped" kind lives there,
since which term can be dropped is a fact about the formula). Each variant is
submitted once as source text through the real runner, as a student's file
would be.

Then the pool proof, in this process (the solution and the mistakes are our own
code, so they need no sandbox): on EVERY hidden trial set of the pool, for the
default seed and the seed of every shipped assignment that grades the problem,
the solution scores full marks, every mistake loses points with its diagnosis
and hint, every regular trial that can show a mistake shows it (and the hidden
trials of each set include one), a naive overflow fails a stability trial, an
answer memorised from the visible trial fails a hidden one, so does one that
remembers its results by the shapes of its inputs, and hidden trials use sizes
that none of the visible ones does.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from graders.assignment import DEFAULT_HIDDEN_POOL, DEFAULT_SEED, Assignment, AssignmentError, ProblemConfig, ad_hoc
from graders.checks import TrialOutcome, evaluate_trial
from graders.diagnosis import Code
from graders.engine import PreparedTrial, _aggregate, grade_source, prepare
from graders.harness import HarnessKind
from graders.problem import Derivative, Problem, Returns, TrialKind, all_problems, get_problem
from graders.runner import CALL_TIMEOUT, CallResult, Runner
from graders.scoring import ProblemResult


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
    # The bank's classes derive from graders.torch_on_demand.AutogradFunction; a student's from torch's.
    header = ("import torch\nfrom torch.autograd import Function as AutogradFunction\n"
              if problem.harness is HarnessKind.TORCH_FUNCTION else "")
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


# ---------------------------------------------------------------- the pool proof


@dataclass(frozen=True)
class Grading:
    """How one problem is graded: by an assignment (its seed, trials, tolerance and
    pool of hidden trial sets) or by `nablagrade check` without one."""

    source: str  # "default" or the assignment's name
    config: ProblemConfig
    seed: int
    pool: int


def gradings(problem: Problem, assignments: Iterable[Assignment] = ()) -> list[Grading]:
    """The default grading, and every given assignment's that includes the problem."""
    found = [Grading("default", ProblemConfig(problem), DEFAULT_SEED, DEFAULT_HIDDEN_POOL)]
    for assignment in assignments:
        for config in assignment.problems:
            if config.problem.id == problem.id:
                found.append(Grading(assignment.name, config, assignment.seed, assignment.hidden_pool))
    unique: dict[tuple, Grading] = {}
    for grading in found:
        unique.setdefault((grading.seed, grading.config.trials, grading.config.tolerance, grading.pool,
                           grading.config.allowed), grading)
    return list(unique.values())


def shipped_assignments() -> list[Assignment]:
    """The assignment files of the catalogue (none if there is no catalogue)."""
    from graders.catalogue import Catalogue

    try:
        catalogue = Catalogue()
        return [catalogue.load(None, name).spec for name in catalogue.names()]
    except AssignmentError:
        return []


def _arguments(problem: Problem, item: PreparedTrial) -> list[Any]:
    return [np.copy(item.inputs[name]) if isinstance(item.inputs[name], np.ndarray) else item.inputs[name]
            for name in problem.params]


def _call(problem: Problem, item: PreparedTrial, function: Callable) -> CallResult:
    """Our own function run here, as the harness would run a student's."""
    extra: dict[str, Any] = {}
    with np.errstate(all="ignore"):
        if problem.harness is HarnessKind.TORCH_FUNCTION:
            from graders.harness import _call_torch_function
            from graders.torch_on_demand import as_autograd_function

            tensors, extra = _call_torch_function(as_autograd_function(function), _arguments(problem, item))
            value: Any = {name: tensor.detach().numpy() for name, tensor in tensors.items()}
        else:
            value = function(*_arguments(problem, item))
    return CallResult(f"{problem.id}/{item.trial.index}", "ok", value=value, extra=extra)


def _memorised(problem: Problem, visible: PreparedTrial) -> Callable:
    """A function that returns the visible trial's expected answer whatever it is given."""
    answer = {name: np.copy(value) for name, value in visible.expected.items()}

    def memorised(*_: Any) -> Any:
        if problem.returns is Returns.DICT:
            return dict(answer)
        if problem.returns is Returns.TUPLE:
            return tuple(answer.values())
        return next(iter(answer.values()))

    return memorised


def _remembered_by_shape(problem: Problem) -> Callable:
    """The solution behind a cache keyed on the shapes of the inputs and the problem's free
    sizes (gd_trajectory's steps; a floats-only problem has one shape, so it is memorised
    outright): right the first time it meets a shape, stale after that."""
    cache: dict[tuple, Any] = {}
    solution = problem.solution

    def remembered(*arguments: Any) -> Any:
        sizes = tuple(problem.sizes(dict(zip(problem.params, arguments, strict=True)))) if problem.sizes else ()
        key = (tuple(np.shape(argument) for argument in arguments), sizes)
        if key not in cache:
            cache[key] = solution(*arguments)
        return cache[key]

    return remembered


def _graded(problem: Problem, config: ProblemConfig, prepared: tuple[PreparedTrial, ...],
            function: Callable) -> tuple[list[TrialOutcome], ProblemResult]:
    outcomes = [evaluate_trial(problem, item.trial, _call(problem, item, function), item.expected,
                               tolerance=config.tolerance, call_timeout=CALL_TIMEOUT, allowed=config.allowed,
                               mistakes=item.mistakes, scale_names=item.scale_names) for item in prepared]
    result = ProblemResult(problem.id, problem.title, problem.function, config.points)
    result.checks = _aggregate(problem, config, outcomes, prepared)
    return outcomes, result


def _caught(outcome: TrialOutcome, names: list[str]) -> bool:
    return outcome.first_problem(names) is not None


def check_hidden_set(problem: Problem, grading: Grading, hidden_set: int) -> list[str]:
    """Everything wrong with one hidden trial set (an empty list when it is sound)."""
    config = grading.config
    prepared = prepare(problem, grading.seed, config.trials, hidden_set)
    names = list(prepared[0].expected)
    regular = [i for i, item in enumerate(prepared) if item.trial.kind is TrialKind.REGULAR]
    hidden = [i for i in regular if not prepared[i].trial.visible]
    stability = [i for i, item in enumerate(prepared) if item.trial.kind is TrialKind.STABILITY]
    problems: list[str] = []

    _, result = _graded(problem, config, prepared, problem.solution)
    if result.score < result.max_score - 1e-9:
        problems.append(f"the solution scores {result.score:g}/{result.max_score:g} ({result.diagnosis})")
    for mistake in problem.mistakes:
        outcomes, result = _graded(problem, config, prepared, mistake.solution)
        label = f"mistake {mistake.name}"
        if result.score >= result.max_score - 1e-9:
            problems.append(f"{label} gets full marks")
            continue
        if result.diagnosis != Code(mistake.expect):
            problems.append(f"{label}: diagnosis {result.diagnosis}, expected {mistake.expect}")
        if mistake.hint not in " ".join(check.message for check in result.checks):
            problems.append(f"{label}: its hint is not shown")
        if Code(mistake.expect) is Code.NOT_FINITE:
            if not any(outcomes[i].first_problem(names) is not None
                       and outcomes[i].first_problem(names).code is Code.NOT_FINITE for i in stability):
                problems.append(f"{label}: no stability trial shows the overflow")
            continue
        observable = [i for i in regular if mistake.observable is None or mistake.observable(prepared[i].inputs)]
        missed = [prepared[i].trial.label for i in observable if not _caught(outcomes[i], names)]
        if missed:
            problems.append(f"{label} passes {', '.join(missed)}")
        if hidden and not any(i in observable for i in hidden):
            problems.append(f"{label}: no hidden trial can show it")
    if problem.harness is not HarnessKind.TORCH_FUNCTION and hidden:
        visible = next(item for item in prepared if item.trial.visible)
        outcomes, _ = _graded(problem, config, prepared, _memorised(problem, visible))
        if not any(_caught(outcomes[i], names) for i in hidden):
            problems.append("an answer memorised from the visible trial passes every hidden trial")
        else:  # a memorised answer is kept by shape too: said once
            outcomes, _ = _graded(problem, config, prepared, _remembered_by_shape(problem))
            if not any(_caught(outcome, names) for outcome in outcomes):
                problems.append("an answer that keeps its results by the shapes of its inputs passes every trial")
    if problem.sizes is not None:
        seen = {size for item in prepared if item.trial.visible for size in problem.sizes(item.inputs)}
        for i in hidden:
            sizes = tuple(problem.sizes(prepared[i].inputs))
            if set(sizes) & seen or len(set(sizes)) != len(sizes):
                problems.append(f"{prepared[i].trial.label} has sizes {sizes}: not distinct from each other and "
                                f"from the visible sizes {sorted(seen)}")
    return problems


@dataclass(frozen=True)
class PoolOutcome:
    problem: str
    grading: str
    seed: int
    sets: int
    failures: tuple[tuple[int, str], ...]  # (hidden set, what is wrong)

    @property
    def ok(self) -> bool:
        return not self.failures


def check_pool(problem: Problem, assignments: Iterable[Assignment] = (), pool: int | None = None) -> list[PoolOutcome]:
    """The pool proof for one problem: every hidden trial set of every grading
    (`pool` limits the sets, for a quick look)."""
    outcomes = []
    for grading in gradings(problem, assignments):
        count = grading.pool if pool is None else min(pool, grading.pool)
        failures = tuple((hidden_set, problem_text) for hidden_set in range(count)
                         for problem_text in check_hidden_set(problem, grading, hidden_set))
        outcomes.append(PoolOutcome(problem.id, grading.source, grading.seed, count, failures))
    return outcomes


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def run_selftest(runner: Runner, only: list[str] | None = None, verbose: bool = False, seed: int = DEFAULT_SEED,
                 pool: int | None = None) -> int:
    """Print one line per problem (per variant and grading with --verbose); exit code 0 when sound."""
    problems = [get_problem(pid) for pid in only] if only else sorted(all_problems(), key=lambda p: p.id)
    assignments = shipped_assignments()
    failures = 0
    for problem in problems:
        outcomes = check_problem(problem, runner, seed)
        pools = check_pool(problem, assignments, pool)
        bad = [o for o in outcomes if not o.ok]
        bad_pools = [p for p in pools if not p.ok]
        failures += len(bad) + sum(len(p.failures) for p in bad_pools)
        sets = sum(p.sets for p in pools)
        print(f"{problem.id:<16} {'ok  ' if not bad and not bad_pools else 'FAIL'} {len(outcomes)} variants, "
              f"{len(problem.mistakes)} mistakes on {sets} hidden trial sets")
        shown = outcomes if verbose else bad
        column = max([len(outcome.variant) for outcome in shown] + [28])
        for outcome in shown:
            expect = outcome.expect.value if outcome.expect else "full marks"
            print(f"    {'ok  ' if outcome.ok else 'FAIL'} {outcome.variant:<{column}} expected {expect:<16} {outcome.why}")
        for pool_outcome in pools if verbose else bad_pools:
            print(f"    {'ok  ' if pool_outcome.ok else 'FAIL'} {pool_outcome.grading} (seed {pool_outcome.seed}): "
                  f"{pool_outcome.sets} hidden trial sets")
            for hidden_set, what in pool_outcome.failures[:20]:
                print(f"        hidden set {hidden_set}: {what}")
    print(f"selftest: {_count(len(problems), 'problem')}, {_count(failures, 'failure')}")
    return 0 if failures == 0 else 1
