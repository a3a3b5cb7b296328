"""What the staff submission page shows beside the code: the result (as the student's pages
shape it) and the timings of the submission's life."""

from __future__ import annotations

import datetime as dt

from app.models import Submission
from app.result_view import ProblemView, problem_views
from app.services import assignments


def problems(submission: Submission) -> list[ProblemView]:
    """The result as the student's pages show it (app/result_view.py): checks with the relative
    error against the tolerance, visible trials side by side; hidden checks are rows of the table."""
    if not submission.result:
        return []
    try:
        spec = assignments.load_spec(submission.assignment.course.code, submission.assignment.name).spec
        tolerances = {config.problem.id: config.tolerance for config in spec.problems}
    except Exception:  # noqa: BLE001 - an unreadable file only costs the tolerance column
        tolerances = {}
    return problem_views(submission.result, tolerances)


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
