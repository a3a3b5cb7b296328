"""Result documents as the macros in app/templates/macros/results.html take them, seen by staff
(hidden checks shown in full)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.models import Submission


def problems_for_staff(document: dict[str, Any] | None) -> list[dict[str, Any]]:
    problems = []
    for problem in (document or {}).get("problems", []):
        score, points = problem.get("score"), problem.get("max_score")
        status = "pass" if problem.get("passed") else ("partial" if score else "fail")
        checks = [{"name": c.get("name"), "status": "pass" if c.get("passed") else "fail",
                   "message": c.get("message") if not c.get("passed") else "",
                   "code": c.get("diagnosis"), "hidden": not c.get("visible", True)}
                  for c in problem.get("checks", [])]
        hidden = sum(1 for c in checks if c["hidden"])
        problems.append({"id": problem.get("id"), "title": problem.get("title") or problem.get("id"), "earned": score,
                         "points": points, "status": status, "checks": checks,
                         "note": f"{hidden} hidden check{'' if hidden == 1 else 's'} (shown to staff)" if hidden else None})
    return problems


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    return (end - start).total_seconds() if start is not None and end is not None else None


def timings(submission: Submission) -> list[tuple[str, dt.datetime | None, float | None]]:
    """(step, when, seconds since the step before) for the submission's life so far."""
    steps = [("Submitted", submission.submitted_at), ("Sent to the grading queue", submission.enqueued_at),
             ("Picked up by a worker", submission.started_at), ("Graded", submission.graded_at),
             ("Grading failed", submission.errored_at)]
    shown, previous = [], None
    for label, moment in steps:
        if moment is None:
            continue
        shown.append((label, moment, _seconds(previous, moment) if previous is not None else None))
        previous = moment
    return shown
