"""Assignment files: which problems, for how many points, checked how strictly."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.import_policy import DEFAULT_ALLOWED, expand
from graders.problem import Problem, get_problem

DEFAULT_WEIGHTS = {"type": 1.0, "shape": 2.0, "finite": 1.0, "value": 5.0, "stability": 1.0, "gradcheck": 1.0}
DEFAULT_TOLERANCE = 1e-4
DEFAULT_TRIALS = 3
DEFAULT_SEED = 20260901
DEFAULT_HIDDEN_POOL = 64  # hidden trial sets per problem; a file's hash picks one
DEFAULT_TIME_BUDGET = 30.0  # seconds of running time for a whole submission, all its calls together
SCORE_POLICIES = ("latest", "best")  # which graded submission's score counts for a student


@dataclass(frozen=True)
class ProblemConfig:
    """A problem as one assignment grades it."""

    problem: Problem
    points: float = 10.0
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    tolerance: float = DEFAULT_TOLERANCE
    trials: int = DEFAULT_TRIALS
    allowed_imports: frozenset[str] = DEFAULT_ALLOWED

    @property
    def allowed(self) -> frozenset[str]:
        return self.allowed_imports | self.problem.allowed_imports


@dataclass(frozen=True)
class Assignment:
    name: str
    title: str
    problems: tuple[ProblemConfig, ...]
    due: dt.datetime | None = None
    late_policy: str = "none"
    late_penalty_per_day: float = 0.0
    score_policy: str = "latest"
    max_submissions_per_day: int | None = None
    seed: int = DEFAULT_SEED
    hidden_pool: int = DEFAULT_HIDDEN_POOL
    time_budget: float = DEFAULT_TIME_BUDGET
    source: Path | None = None

    @property
    def max_score(self) -> float:
        return sum(config.points for config in self.problems)

    def config(self, problem_id: str) -> ProblemConfig:
        for config in self.problems:
            if config.problem.id == problem_id:
                return config
        raise KeyError(problem_id)


class AssignmentError(ValueError):
    """The assignment file is wrong: a message for the instructor."""


def _number(table: dict[str, Any], key: str, default: float, where: str, minimum: float = 0.0) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise AssignmentError(f"{where}: {key} must be a number >= {minimum:g}, not {value!r}")
    return float(value)


def parse_assignment(data: dict[str, Any], name: str, source: Path | None = None) -> Assignment:
    where = str(source or name)
    weights = dict(DEFAULT_WEIGHTS)
    for key in data.get("weights", {}):
        if key not in DEFAULT_WEIGHTS:
            raise AssignmentError(f"{where}: unknown check weight {key!r} (known: {', '.join(DEFAULT_WEIGHTS)})")
        weights[key] = _number(data["weights"], key, 0, where)
    tolerance = _number(data, "tolerance", DEFAULT_TOLERANCE, where)
    trials = int(_number(data, "trials", DEFAULT_TRIALS, where, minimum=3))
    allowed = expand(data.get("imports", {}).get("allow", ["numpy", "stdlib"]))
    configs = []
    for index, entry in enumerate(data.get("problems", [])):
        spot = f"{where}: problems[{index}]"
        try:
            problem = get_problem(entry["id"])
        except KeyError as exc:
            raise AssignmentError(f"{spot}: {exc.args[0]}") from None
        problem_weights = dict(weights)
        for key in entry.get("weights", {}):
            if key not in DEFAULT_WEIGHTS:
                raise AssignmentError(f"{spot}: unknown check weight {key!r}")
            problem_weights[key] = _number(entry["weights"], key, 0, spot)
        configs.append(ProblemConfig(
            problem=problem,
            points=_number(entry, "points", 10, spot),
            weights=problem_weights,
            tolerance=_number(entry, "tolerance", tolerance, spot),
            trials=int(_number(entry, "trials", trials, spot, minimum=3)),
            allowed_imports=allowed | expand(entry.get("allow_imports", [])),
        ))
    if not configs:
        raise AssignmentError(f"{where}: an assignment needs at least one [[problems]] entry")
    due = data.get("due")
    if due is not None and not isinstance(due, dt.datetime):
        raise AssignmentError(f"{where}: due must be a TOML date-time such as 2026-12-01T23:59:00Z")
    if due is not None and due.tzinfo is None:
        due = due.replace(tzinfo=dt.UTC)
    late = data.get("late", {})
    policy = late.get("policy", "none")
    if policy not in ("none", "accept", "penalty"):
        raise AssignmentError(f"{where}: late.policy must be none, accept or penalty")
    score_policy = data.get("score_policy", "latest")
    if score_policy not in SCORE_POLICIES:
        raise AssignmentError(f"{where}: score_policy must be latest or best, not {score_policy!r}")
    per_day = data.get("max_submissions_per_day")
    return Assignment(
        name=data.get("name", name),
        title=data.get("title", name),
        problems=tuple(configs),
        due=due,
        late_policy=policy,
        late_penalty_per_day=_number(late, "penalty_per_day", 0.0, where),
        score_policy=score_policy,
        max_submissions_per_day=int(per_day) if per_day is not None else None,
        seed=int(data.get("seed", DEFAULT_SEED)),
        hidden_pool=int(_number(data, "hidden_pool", DEFAULT_HIDDEN_POOL, where, minimum=1)),
        time_budget=_number(data, "time_budget", DEFAULT_TIME_BUDGET, where, minimum=1),
        source=source,
    )


def parse_assignment_text(text: str, name: str, source: Path | None = None) -> Assignment:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AssignmentError(f"{source or name}: {exc}") from None
    return parse_assignment(data, name, source)


def load_assignment_file(path: Path) -> Assignment:
    return parse_assignment_text(path.read_text(encoding="utf-8"), path.stem, path)


def ad_hoc(problems: list[Problem], seed: int = DEFAULT_SEED) -> Assignment:
    """Grade bank problems without an assignment file (`nablagrade check FILE`)."""
    return Assignment(name="", title="bank problems", problems=tuple(ProblemConfig(p) for p in problems), seed=seed)
