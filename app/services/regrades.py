"""Regrades with a dry run first: which scores a regrade of one submission or of a whole
assignment would change, and by how much, before anything is committed.

The dry run grades student code again, so it runs where grading runs: a Celery task on the
grading queue, in the worker's sandbox (student code never runs in the web process, and a
whole assignment takes far longer than a page request). The task grades each graded
submission against the assignment file as it is now, applies the late policy and extension
as they are now (what the real regrade would store), and records the changes in a
RegradePreview row that the page polls. Committing sends the real regrade through the normal
queue (grading.regrade_submission / regrade_assignment); overrides stay in force."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Assignment,
    Extension,
    LatePolicy,
    RegradePreview,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from app.services import assignments, deadlines, grading, jobs, results
from app.services.errors import NotFound, ServiceError
from graders import late
from graders.engine import default_runner, grade_source
from graders.runner import Runner

log = logging.getLogger(__name__)

PREVIEW_TASK = "worker.tasks.preview_regrade"
EPSILON = 1e-6


class RegradeRefused(ServiceError):
    """The regrade cannot be committed; the message says why."""


def request_preview(assignment: Assignment, by: User, submission: Submission | None = None) -> RegradePreview:
    """Start a dry run (of one submission, or of the whole assignment); a worker computes it."""
    if submission is not None and submission.assignment_id != assignment.id:
        raise NotFound(f"no submission {submission.id} in {assignment.name}")
    preview = RegradePreview(assignment=assignment, submission=submission, requested_by=by, status="queued",
                             total=0, done=0, changes=[], created_at=utcnow())
    db.session.add(preview)
    db.session.flush()
    jobs.after_commit(db.session, PREVIEW_TASK, preview.id)
    db.session.commit()
    return preview


def preview_in(course_id: int, preview_id: int) -> RegradePreview:
    """A preview of the course's (NotFound for another course's, like an id that does not exist)."""
    preview = db.session.get(RegradePreview, preview_id)
    if preview is None or preview.assignment.course_id != course_id:
        raise NotFound(f"no regrade preview {preview_id}")
    return preview


def targets(preview: RegradePreview) -> list[Submission]:
    """The submissions the regrade would send back to the queue, in id order."""
    if preview.submission_id is not None:
        return [preview.submission] if preview.submission is not None else []
    return list(db.session.scalars(select(Submission).where(Submission.assignment_id == preview.assignment_id)
                                   .order_by(Submission.id)))


@dataclass
class _Row:
    """A submission as the counting rule sees it, with the score it would have."""

    id: int
    attempt: int
    status: SubmissionStatus
    score: float | None
    override_score: float | None


def _final_score(submission: Submission, document: dict[str, Any], extension_due: Any) -> float:
    assignment = submission.assignment
    lateness = deadlines.assess(LatePolicy(assignment.late_policy), assignment.late_penalty_per_day, assignment.due,
                                extension_due, submission.submitted_at)
    return float(late.apply(document, lateness)["score"])


def compute_preview(preview_id: int, runner: Runner | None = None) -> str:
    """Grade every graded submission of the preview again without storing anything on them,
    and record whose score would change. Returns the preview's final status."""
    preview = db.session.get(RegradePreview, preview_id)
    if preview is None or preview.status in ("done", "failed"):
        return "skipped"
    assignment = preview.assignment
    rows = [s for s in targets(preview) if s.status is SubmissionStatus.GRADED]
    preview.status, preview.total, preview.done = "running", len(rows), 0
    db.session.commit()
    try:
        loaded = assignments.load_spec(assignment.course.code, assignment.name)
        runner = runner or default_runner()
        extensions = {e.user_id: e.due for e in db.session.scalars(
            select(Extension).where(Extension.assignment_id == assignment.id))}
        new_scores: dict[int, float] = {}
        for index, submission in enumerate(rows, start=1):
            document = grade_source(submission.code, loaded.spec, runner=runner)
            new_scores[submission.id] = round(_final_score(submission, document, extensions.get(submission.user_id)), 4)
            if index % 10 == 0 or index == len(rows):
                preview.done = index
                db.session.commit()
        preview.changes = _changes(assignment, rows, new_scores)
        preview.status, preview.finished_at = "done", utcnow()
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - the dry run fails visibly; nothing was stored on submissions
        db.session.rollback()
        log.exception("regrade preview %s failed", preview_id)
        preview = db.session.get(RegradePreview, preview_id)
        preview.status, preview.error, preview.finished_at = "failed", f"{type(exc).__name__}: {exc}"[:2000], utcnow()
        db.session.commit()
    return preview.status


def _changes(assignment: Assignment, regraded: list[Submission], new_scores: dict[int, float]) -> list[dict[str, Any]]:
    """Per submission whose score moves: old and new, and what counts for its student before
    and after (under the score policy, overrides kept)."""
    users = {s.user_id for s in regraded}
    if not users:
        return []
    theirs: dict[int, list[Submission]] = {u: [] for u in users}
    for submission in db.session.scalars(select(Submission).where(Submission.assignment_id == assignment.id,
                                                                  Submission.user_id.in_(users))
                                         .order_by(Submission.attempt)):
        theirs[submission.user_id].append(submission)
    changes = []
    for user_id, mine in theirs.items():
        before = results.counted(mine, assignment.score_policy)
        after_rows = [_Row(s.id, s.attempt, s.status, new_scores.get(s.id, s.score), s.override_score) for s in mine]
        after = results.counted(after_rows, assignment.score_policy)  # type: ignore[arg-type]
        counted_old = before.effective_score if before is not None else None
        counted_new = None
        if after is not None:
            counted_new = after.override_score if after.override_score is not None else after.score
        for submission in mine:
            if submission.id not in new_scores or abs(new_scores[submission.id] - (submission.score or 0.0)) <= EPSILON:
                continue
            changes.append({"submission_id": submission.id, "user_id": user_id, "email": submission.user.email,
                            "name": submission.user.name, "attempt": submission.attempt, "old": submission.score,
                            "new": new_scores[submission.id], "counted_old": counted_old, "counted_new": counted_new,
                            "overridden": submission.override_score is not None})
    changes.sort(key=lambda c: (c["email"], c["attempt"]))
    return changes


def commit(preview: RegradePreview) -> int:
    """Send the regrade the preview describes through the normal grading queue; returns how
    many submissions were queued."""
    if preview.status != "done":
        raise RegradeRefused("The dry run has not finished; wait for it before regrading.")
    if preview.committed_at is not None:
        raise RegradeRefused("This regrade was already sent.")
    preview.committed_at = utcnow()
    if preview.submission_id is not None:
        sent = 1 if grading.regrade_submission(preview.submission_id) is not None else 0
    else:
        sent = grading.regrade_assignment(preview.assignment)  # commits the preview's row too
    db.session.commit()
    return sent


def recent(assignment: Assignment, limit: int = 5) -> list[RegradePreview]:
    return list(db.session.scalars(select(RegradePreview).where(RegradePreview.assignment_id == assignment.id)
                                   .order_by(RegradePreview.id.desc()).limit(limit)))
