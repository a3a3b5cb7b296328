"""Grade a submission: sample trials, compute validated references, run the
student's calls through a runner, check, diagnose and score."""

from __future__ import annotations

import ast
import builtins
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from graders import ENGINE_VERSION, import_policy, wire
from graders.assignment import Assignment, ProblemConfig
from graders.checks import TrialOutcome, evaluate_trial, layout_words
from graders.diagnosis import UNDERFLOW_HINT, ZERO_EVERYWHERE, Code, Diagnosis
from graders.harness import HarnessKind
from graders.preparation import PreparedTrial, prepare, trial_rng, trials_for  # noqa: F401 - re-exported
from graders.problem import Problem, TrialKind
from graders.runner import (
    BUDGET,
    CALL_TIMEOUT,
    CONTAINMENT_STATUSES,
    STOPPED,
    Call,
    CallResult,
    Job,
    Runner,
    SubmissionClock,
    budget_spent,
)
from graders.scoring import CheckResult, ProblemResult, assign_points, result_document

VISIBLE_LIMIT = 200  # entries per array shown in the visible trial's feedback
QUOTED_LINE = 160  # characters of the line a syntax error points into


@dataclass(frozen=True)
class StaticReport:
    """What the trusted process learns from the source without running it."""

    syntax_error: Diagnosis | None
    uses: import_policy.ImportUse | None
    empty: Diagnosis | None = None  # nothing to run: no code at all, or only comments

    def defines(self, name: str) -> bool:
        return self.uses is not None and name in self.uses.defined


def inspect_source(source: str) -> StaticReport:
    try:
        tree = ast.parse(source, filename="submission.py")
    except SyntaxError as exc:
        line, offset = _quoted_line((exc.text or "").rstrip("\n"), max((exc.offset or 1) - 1, 0))
        pointer = f"\n    {line}\n    {' ' * offset}^" if line else ""
        where = f" on line {exc.lineno}" if exc.lineno else ""  # a NUL byte has no line
        message = f"your file has a syntax error{where}: {exc.msg}{pointer}"
        return StaticReport(Diagnosis(Code.SYNTAX_ERROR, message), None)
    except (ValueError, RecursionError, MemoryError) as exc:
        # The parser's own limits (an expression nested thousands deep) may come without a text.
        reason = str(exc) or "it is nested too deeply for Python's parser"
        return StaticReport(Diagnosis(Code.SYNTAX_ERROR, f"your file cannot be parsed: {reason}"), None)
    return StaticReport(None, import_policy.analyze(tree), _emptiness(source, tree))


def _quoted_line(line: str, offset: int) -> tuple[str, int]:
    """The part of a syntax error's line to quote, and where the caret goes in it: a line
    can be the whole 256 KiB file, and the message is repeated for every check."""
    if len(line) <= QUOTED_LINE:
        return line, offset
    start = min(max(offset - QUOTED_LINE // 2, 0), len(line) - QUOTED_LINE)
    before = "... " if start else ""
    after = " ..." if start + QUOTED_LINE < len(line) else ""
    return before + line[start:start + QUOTED_LINE] + after, offset - start + len(before)


def _emptiness(source: str, tree: ast.Module) -> Diagnosis | None:
    if not source.strip():
        return Diagnosis(Code.MISSING_FUNCTION, "your file is empty: it defines no function to grade "
                         "(was the right file submitted, and saved?)")
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]  # a docstring alone is no code either
    if not body:
        return Diagnosis(Code.MISSING_FUNCTION, "your file has no code, only comments: it defines no function "
                         "to grade (was the right file submitted, and saved?)")
    return None


def _attempted(source: str, function: str) -> bool:
    """Whether a file that does not parse looks like it tries to define `function`:
    a `def` or `class` line with that name, however broken the rest is."""
    return re.search(rf"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+{re.escape(function)}\b", source, re.MULTILINE) is not None


def detect_problems(source: str, candidates: Iterable[Problem]) -> list[Problem]:
    """Bank problems whose function the file defines at top level. A file with a
    syntax error defines nothing, yet it must be reported as a syntax error, never
    as "defines none of the bank's functions": it is graded on the problems whose
    `def` lines it has, or on every candidate when none can be recognised."""
    candidates = list(candidates)
    report = inspect_source(source)
    if report.syntax_error is not None:
        attempted = [p for p in candidates if _attempted(source, p.function)]
        return attempted or candidates
    return [p for p in candidates if report.defines(p.function)]


def _listing(array: np.ndarray) -> Any:
    # The extent, not the size: np.empty((10**6, 0)) has no elements but a million rows.
    if array.size > VISIBLE_LIMIT or wire.array_extent(array.shape) > VISIBLE_LIMIT:
        return f"array of shape {tuple(array.shape)} (too large to show)"
    return array.tolist()


def _aggregate(problem: Problem, config: ProblemConfig, outcomes: list[TrialOutcome], prepared: tuple[PreparedTrial, ...]) -> list[CheckResult]:
    names = list(prepared[0].expected)
    regular = [o for o in outcomes if o.trial.kind is TrialKind.REGULAR]
    checks: list[CheckResult] = []

    def where(outcome: TrialOutcome) -> str:
        # Most failures show on the first trial; say so only when it took a later one.
        return f" (seen on {outcome.trial.label})" if outcome.trial.index > 0 else ""

    def stage_check(category: str, name: str, stages: tuple[str, ...], per_output: str | None) -> CheckResult:
        for outcome in regular:
            if outcome.failure is not None and outcome.failed_stage in stages:
                message = outcome.failure.message if outcome.trial.visible else _hidden_failure(problem, outcome.failure)
                return CheckResult(name, category, False, outcome.failure.code, message + where(outcome), True)
        if per_output:
            for outcome in regular:
                for output in names:
                    diagnosis = getattr(outcome, per_output).get(output)
                    if diagnosis is not None:
                        # Shapes and finiteness reveal nothing of a hidden trial's inputs.
                        return CheckResult(name, category, False, diagnosis.code, diagnosis.message + where(outcome), True)
        return CheckResult(name, category, True, None, "ok", True)

    checks.append(stage_check("type", "type", ("run", "type"), None))
    # Only where the course's layout fixes the shape: iterates or a forward value have no layout.
    shape_name = "exact shape (denominator layout)" if layout_words(problem) else "exact shape"
    checks.append(stage_check("shape", shape_name, ("run", "type"), "shapes"))
    checks.append(stage_check("finite", "all values finite", ("run", "type"), "finite"))

    always_zero = {output for output in names for outcome in regular
                   if (found := outcome.values.get(output)) is not None and ZERO_EVERYWHERE in found.message}
    for outcome, trial_data in zip(outcomes, prepared, strict=True):
        trial = outcome.trial
        category = "stability" if trial.kind is TrialKind.STABILITY else "value"
        name = f"{'stability' if category == 'stability' else 'values'}: {trial.label}"
        good = [output for output in names if outcome.output_ok(output)]
        diagnosis = outcome.first_problem(names)
        if diagnosis is None and len(good) < len(names):  # not reached in practice: defensive
            diagnosis = Diagnosis(Code.WRONG_VALUE, "not all outputs could be checked")
        if diagnosis is None:
            worst = max(outcome.errors.values(), default=0.0)
            message = f"correct (largest relative error {worst:.1e})"
        elif trial.visible:
            wrong = [o for o in names if not outcome.output_ok(o)]
            said = [_message_for(outcome, o) for o in wrong]
            if trial.kind is TrialKind.STABILITY:
                # Zero on the ordinary trials too: it did not underflow at large inputs, it is zero.
                said = [text.replace(f": {UNDERFLOW_HINT}", "") if o in always_zero else text
                        for o, text in zip(wrong, said, strict=True)]
            message = "; ".join(dict.fromkeys(said))
        elif outcome.extra.get("reason") in (BUDGET, STOPPED):
            message = diagnosis.message  # why it was not run: nothing of the trial's inputs
        else:
            message = _on_a_hidden_trial(problem, outcome, diagnosis)
        details = None
        if trial.visible and outcome.extra.get("reason") not in (BUDGET, STOPPED):
            details = {
                "inputs": {k: (_listing(np.asarray(v)) if isinstance(v, np.ndarray) else v) for k, v in trial_data.inputs.items()},
                "expected": {k: _listing(v) for k, v in trial_data.expected.items()},
                "received": {k: _listing(v) for k, v in outcome.received.items()},
            }
        checks.append(CheckResult(name, category, diagnosis is None, diagnosis.code if diagnosis else None, message,
                                  trial.visible, fraction=len(good) / len(names), details=details))

    if problem.harness is HarnessKind.TORCH_FUNCTION:
        failing = [o for o in regular if not o.extra.get("gradcheck", {}).get("passed")]
        if not failing:
            checks.append(CheckResult("torch.autograd.gradcheck", "gradcheck", True, None, "gradcheck passed", True))
        else:
            outcome = failing[0]
            # On a hidden trial, gradcheck's own text (the two Jacobians) would show its inputs.
            said = str(outcome.extra.get("gradcheck", {}).get("message", ""))[:600] if outcome.trial.visible else \
                f"(on {outcome.trial.label})"
            diagnosis = outcome.failure or Diagnosis(Code.WRONG_VALUE, _gradcheck_words(outcome) + said)
            message = diagnosis.message if outcome.trial.visible else _hidden_failure(problem, diagnosis)
            checks.append(CheckResult("torch.autograd.gradcheck", "gradcheck", False, diagnosis.code, message, True))
    assign_points(checks, config.points, config.weights)
    return checks


# What a call that did not return does on a hidden trial, in words that reveal nothing of
# its inputs (an exception's own message might): it did not return a wrong answer.
_HIDDEN_RUN_FAILURES = {
    Code.EXCEPTION: "{function} raised an exception on this hidden trial",
    Code.TIMEOUT: "{function} did not finish in time on this hidden trial (an infinite loop?)",
    Code.MEMORY_LIMIT: "{function} used more memory than allowed on this hidden trial",
    Code.CRASHED: "{function} crashed on this hidden trial",
    Code.FORBIDDEN_OPERATION: "{function} tried something the grader forbids on this hidden trial",
    Code.OUTPUT_LIMIT: "{function} produced too much output on this hidden trial",
}


_BUILTIN_EXCEPTIONS = frozenset(name for name, value in vars(builtins).items()
                                if isinstance(value, type) and issubclass(value, BaseException))


def _gradcheck_words(outcome: TrialOutcome) -> str:
    """Why gradcheck failed, as far as the grader can tell: a forward in single precision
    defeats its finite differences (a step of 1e-6) however right backward is."""
    dtype = outcome.precision.get("forward")
    if dtype is not None:
        return (f"gradcheck failed: forward returns {dtype}, too coarse for gradcheck's finite differences "
                "(a step of 1e-6): compute forward in float64, the dtype of its input. ")
    return "gradcheck failed: backward does not match finite differences of your forward. "


def _hidden_failure(problem: Problem, failure: Diagnosis) -> str:
    """An exception's text on a hidden trial is the student's to write (`raise
    ValueError(repr(x))`), so it would hand them the hidden inputs: only the name of a
    built-in exception is told."""
    if failure.code is not Code.EXCEPTION or not failure.message.startswith(f"{problem.function} raised"):
        return failure.message
    names = re.findall(r"^([A-Za-z_]\w{0,60})(?::|$)", failure.message, re.MULTILINE)
    kind = next((name for name in names if name in _BUILTIN_EXCEPTIONS), None)
    what = wire.with_article(kind) if kind else "an exception"
    return (f"{problem.function} raised {what} on a hidden trial (its message and traceback are not shown: "
            "they could reveal the hidden inputs)")


def _on_a_hidden_trial(problem: Problem, outcome: TrialOutcome, diagnosis: Diagnosis) -> str:
    if outcome.failure is not None and outcome.failed_stage == "run":
        message = diagnosis.message
        if message.startswith(("your file ", "loading your file ")):
            # The file failed before any call (loading it, or statically): nothing of a
            # trial is in it, and the function must not be blamed.
            return message
        template = _HIDDEN_RUN_FAILURES.get(diagnosis.code)
        if template is not None and message.startswith(f"{problem.function} ") \
                and not message.startswith(f"{problem.function} was not run"):
            return template.format(function=problem.function)
    return f"wrong on this hidden trial ({diagnosis.code.value.replace('_', ' ')})"


def _message_for(outcome: TrialOutcome, output: str) -> str:
    if outcome.failure is not None:
        return outcome.failure.message
    for stage in (outcome.shapes, outcome.finite, outcome.values):
        if stage.get(output) is not None:
            return stage[output].message
    return f"{output}: not checked"


def _blocked(problem: Problem, config: ProblemConfig, diagnosis: Diagnosis, prepared: tuple[PreparedTrial, ...]) -> list[CheckResult]:
    """Every check fails with the same diagnosis when the code cannot run at all."""
    outcomes = [TrialOutcome(p.trial, failure=diagnosis, failed_stage="run") for p in prepared]
    return _aggregate(problem, config, outcomes, prepared)


def hidden_set_of(seed: int, source: str, pool: int) -> int:
    """Which of the pool's hidden trial sets grades this file. It changes with every
    byte of the file, so inputs a submission saw on a hidden trial are most likely
    useless to the next one; the pool is bounded so that every set's references can
    be computed once and cached."""
    digest = hashlib.sha256(f"{seed}\0{source}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % pool


@dataclass
class _Pending:
    """A problem whose calls still have to run."""

    config: ProblemConfig
    prepared: tuple[PreparedTrial, ...]

    def calls(self) -> list[Call]:
        problem = self.config.problem
        calls = []
        for item in self.prepared:
            args: list[tuple[str, Any]] = []
            for name in problem.params:
                value = item.inputs[name]
                args.append((name, value.copy() if isinstance(value, np.ndarray) else value))
            calls.append(Call(f"{problem.id}/{item.trial.index}", problem.function, tuple(args), problem.harness,
                              hidden=not item.trial.visible))
        return calls


def _run_together(source: str, members: list[_Pending], runner: Runner, poison: frozenset[str],
                  seed: int, loads: frozenset[str] = frozenset(),
                  clock: SubmissionClock | None = None) -> tuple[dict[str, CallResult], list[str]]:
    """Run several problems of one submission in as few jobs as possible.

    They share one job (one fork) as long as nothing goes wrong; when a problem
    times out or crashes the job, the problems it stopped run again in a fresh
    job, so one runaway function never costs the others their grade.
    """
    results: dict[str, CallResult] = {}
    output: list[str] = []
    pending = list(members)
    while pending:
        if clock is not None and clock.exhausted:  # what is left is not run at all
            results.update((call.key, budget_spent(call.key, clock.budget())) for m in pending for call in m.calls())
            break
        config = pending[0].config
        # A file that uses torch at module level loads in the torch sandbox even for its
        # numpy problems, whose calls the harness then watches for torch (harness.UseMonitor).
        job = Job(source=source, calls=tuple(call for member in pending for call in member.calls()),
                  allowed=config.allowed, poison=poison, seed=seed,
                  needs_torch="torch" in config.allowed or "torch" in poison & loads,
                  budget=clock.budget() if clock is not None else None)
        outcome = runner.run(job)
        if clock is not None:
            clock.spend(outcome.seconds)
        if outcome.stdout:
            output.append(outcome.stdout)
        stopped = []
        for member in pending:
            calls = [outcome.calls.get(call.key) or CallResult(call.key, "crashed", message="no result")
                     for call in member.calls()]
            own_failure = any(call.status in CONTAINMENT_STATUSES for call in calls)
            stopped_by_others = any(call.status == "not_run" and call.extra.get("reason") != BUDGET for call in calls)
            if stopped_by_others and not own_failure:
                stopped.append(member)
            else:
                results.update((call.key, call) for call in calls)
        if len(stopped) == len(pending):  # nobody was charged: do not loop forever
            for member in stopped:
                results.update((call.key, outcome.calls.get(call.key) or CallResult(call.key, "crashed"))
                               for call in member.calls())
            break
        pending = stopped
    return results, output


def grade_source(source: str, assignment: Assignment, *, runner: Runner | None = None, seed: int | None = None) -> dict[str, Any]:
    """Grade one submission's source against an assignment; returns the result document."""
    runner = runner or default_runner()
    seed = assignment.seed if seed is None else seed
    hidden_set = hidden_set_of(seed, source, assignment.hidden_pool)
    report = inspect_source(source)
    allowed_anywhere = frozenset().union(*(config.allowed for config in assignment.problems))
    results: dict[str, ProblemResult] = {}
    # Problems with the same import policy share a job; torch problems get the torch sandbox.
    groups: dict[frozenset[str], list[_Pending]] = {}
    for config in assignment.problems:
        problem = config.problem
        prepared = prepare(problem, seed, config.trials, hidden_set)
        results[problem.id] = ProblemResult(problem.id, problem.title, problem.function, config.points)
        blocked = report.syntax_error or report.empty
        if blocked is None:
            bad = import_policy.violations(report.uses, problem.function, config.allowed, allowed_anywhere)
            if bad:
                blocked = Diagnosis(Code.FORBIDDEN_IMPORT, import_policy.describe(bad[0], config.allowed))
        if blocked is not None:
            results[problem.id].checks = _blocked(problem, config, blocked, prepared)
            continue
        groups.setdefault(config.allowed, []).append(_Pending(config, prepared))

    output: list[str] = []
    clock = SubmissionClock(assignment.time_budget)  # shared by every job of this file
    for allowed, members in groups.items():
        loads = frozenset(report.uses.module_level) if report.uses else frozenset()
        calls, printed = _run_together(source, members, runner, allowed_anywhere - allowed, seed, loads, clock)
        output.extend(printed)
        for member in members:
            problem, config = member.config.problem, member.config
            outcomes = [
                evaluate_trial(
                    problem, item.trial, calls[call.key], item.expected, tolerance=config.tolerance,
                    call_timeout=CALL_TIMEOUT, allowed=config.allowed, mistakes=item.mistakes,
                    scale_names=item.scale_names,
                )
                for item, call in zip(member.prepared, member.calls(), strict=True)
            ]
            results[problem.id].checks = _aggregate(problem, config, outcomes, member.prepared)
            results[problem.id].notes = sorted({note for o in outcomes for note in o.notes})
    return result_document(list(results.values()), engine_version=ENGINE_VERSION, assignment=assignment.name or None,
                           seed=seed, output="".join(output)[:64 * 1024])


def default_runner() -> Runner:
    """The sandbox, always: it raises SandboxUnavailable (saying what is missing)
    rather than fall back to running a submission without isolation."""
    from graders.sandbox import sandbox_runner

    return sandbox_runner()
