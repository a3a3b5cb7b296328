"""The late policy: how much of a score a late submission keeps.

One function decides it (`assess`), from the assignment's policy, the due date that
applies to the student (an extension moves it) and the moment the file was submitted;
`apply` writes the outcome into the result document, so the document and the stored
score always agree: `raw_score`, the `late` penalty, and `score`, the final one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

POLICIES = ("none", "accept", "penalty")


@dataclass(frozen=True)
class Lateness:
    """How late a submission is and what that costs, as a share of the raw score."""

    policy: str  # none | accept | penalty
    due: dt.datetime | None
    submitted_at: dt.datetime
    days_late: int  # whole days past the due date, rounded up
    penalty_per_day: float
    penalty: float  # share of the raw score taken off, 0 to 1

    @property
    def late(self) -> bool:
        return self.days_late > 0

    @property
    def accepted(self) -> bool:
        """Whether the policy takes the file at all (a no-late policy refuses a late one)."""
        return not self.late or self.policy != "none"

    def to_dict(self) -> dict[str, Any]:
        return {"policy": self.policy, "due": self.due.isoformat() if self.due else None,
                "submitted_at": self.submitted_at.isoformat(), "days_late": self.days_late,
                "penalty_per_day": self.penalty_per_day, "penalty": self.penalty}


def days_late(due: dt.datetime | None, submitted_at: dt.datetime) -> int:
    """Whole days past `due`, rounded up: one second late is one day late."""
    if due is None or submitted_at <= due:
        return 0
    return math.ceil((submitted_at - due) / dt.timedelta(days=1))


def assess(policy: str, penalty_per_day: float, due: dt.datetime | None, submitted_at: dt.datetime) -> Lateness:
    """The one late-policy function: submit time and grading time both call it.

    - none: a late file is not accepted; if one was accepted anyway (an extension revoked
      before a regrade), it keeps nothing.
    - accept: late files keep their whole score.
    - penalty: `penalty_per_day` of the raw score per started day, down to zero."""
    if policy not in POLICIES:
        raise ValueError(f"unknown late policy {policy!r} (known: {', '.join(POLICIES)})")
    days = days_late(due, submitted_at)
    if days == 0 or policy == "accept":
        penalty = 0.0
    elif policy == "none":
        penalty = 1.0
    else:
        penalty = min(1.0, max(0.0, penalty_per_day * days))
    return Lateness(policy, due, submitted_at, days, penalty_per_day, penalty)


def apply(document: dict[str, Any], lateness: Lateness) -> dict[str, Any]:
    """The document with its late penalty: `raw_score` is what the checks earned, `score`
    what counts. `passed` still says whether every check passed."""
    raw = float(document["score"])
    final = round(raw * (1.0 - lateness.penalty), 4)
    late = dict(lateness.to_dict(), points_deducted=round(raw - final, 4))
    return {**document, "raw_score": raw, "score": final, "late": late}
