"""Points per check, and the result document (in the spirit of Gradescope's
results.json: every problem, every check, visible or hidden)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from graders.diagnosis import Code
from graders.wire import capped_text

# A check's message, whatever made it: most quote the submission (a traceback, a module name
# it imports, the line of a syntax error), which may be 256 KiB on one line, and every check
# of every problem may repeat the same whole-file message.
MESSAGE_CAP = 8 * 1024


@dataclass
class CheckResult:
    name: str
    category: str  # type, shape, finite, value, stability, gradcheck
    passed: bool
    diagnosis: Code | None
    message: str
    visible: bool
    fraction: float = 0.0  # share of this check earned (partial credit across outputs)
    score: float = 0.0
    max_score: float = 0.0
    details: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        # Not dataclasses.asdict: it deep-copies the visible trial's values float by float,
        # which cost a third of the trusted side's time per submission.
        data = {"name": self.name, "category": self.category, "passed": self.passed,
                "diagnosis": self.diagnosis.value if self.diagnosis else None,
                "message": capped_text(self.message, MESSAGE_CAP),
                "visible": self.visible, "score": round(self.score, 4), "max_score": round(self.max_score, 4)}
        if self.details is not None:
            data["details"] = self.details
        return data


@dataclass
class ProblemResult:
    id: str
    title: str
    function: str
    max_score: float
    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(check.score for check in self.checks), 4)

    @property
    def diagnosis(self) -> Code | None:
        return next((check.diagnosis for check in self.checks if not check.passed), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "function": self.function,
            "score": self.score,
            "max_score": self.max_score,
            "passed": all(check.passed for check in self.checks),
            "diagnosis": self.diagnosis.value if self.diagnosis else None,
            "checks": [check.to_dict() for check in self.checks],
            "notes": self.notes,
        }


def assign_points(checks: list[CheckResult], points: float, weights: dict[str, float]) -> None:
    """Split a problem's points across its checks: by category weight first, then
    evenly among the checks of a category (the value checks, one per trial)."""
    categories: dict[str, list[CheckResult]] = {}
    for check in checks:
        categories.setdefault(check.category, []).append(check)
    total = sum(weights.get(category, 0.0) for category in categories)
    for category, members in categories.items():
        share = points * weights.get(category, 0.0) / total if total > 0 else 0.0
        for check in members:
            check.max_score = share / len(members)
            check.score = check.max_score * (1.0 if check.passed else check.fraction)


def json_safe(value: Any) -> Any:
    """Non-finite floats spelled as strings ("nan", "inf", "-inf"): a student's
    overflowing gradient is worth showing, but JSON (and PostgreSQL's json type)
    has no NaN or Infinity."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def result_document(problems: list[ProblemResult], **meta: Any) -> dict[str, Any]:
    """The whole result, strict JSON (no NaN), ready for the CLI, the database and an LMS."""
    score = round(sum(p.score for p in problems), 4)
    max_score = round(sum(p.max_score for p in problems), 4)
    return json_safe({
        "score": score,
        "max_score": max_score,
        "passed": score >= max_score - 1e-9,
        **meta,
        "problems": [p.to_dict() for p in problems],
    })
