"""Staff overrides of a submission's score.

`set_override` is the one place where staff change the score that counts by hand: it records
who, when, the score before and after and the comment, and sets Submission.override_score,
which the results (and so the API's scores, the gradebook and the exports) read instead of the
graded score. A regrade writes the graded score only, so an override survives it."""

from __future__ import annotations

import math

from sqlalchemy import select

from app.extensions import db
from app.models import ScoreOverride, Submission, SubmissionStatus, User, utcnow
from app.services import webhook_outbox
from app.services.errors import ServiceError

MAX_COMMENT = 2000


class OverrideRefused(ServiceError):
    """The override is not valid; the message says why."""


def set_override(submission: Submission, score: float | None, comment: str, by: User) -> ScoreOverride:
    """Replace the score that counts for `submission` by `score` (None takes an override back,
    so the graded score counts again). The comment is required: the student is shown it."""
    comment = (comment or "").strip()
    if not comment:
        raise OverrideRefused("Say why in the comment: the student sees it with the new score.")
    if len(comment) > MAX_COMMENT:
        raise OverrideRefused(f"The comment is {len(comment)} characters; keep it under {MAX_COMMENT}.")
    if score is not None:
        maximum = submission.max_score if submission.max_score is not None else submission.assignment.max_score
        if not math.isfinite(score) or score < 0 or score > maximum:
            raise OverrideRefused(f"The score must be a number from 0 to {maximum:g}.")
        score = round(float(score), 4)
    elif submission.override_score is None:
        raise OverrideRefused("This submission has no override to take back.")
    if score is not None and submission.status is not SubmissionStatus.GRADED and submission.score is None:
        # Only graded submissions count; one that never got a result would keep the override
        # out of sight. (A graded one being regraded keeps its override through the regrade.)
        raise OverrideRefused(f"Submission {submission.id} has no result yet ({submission.status.value}); "
                              "override it once it is graded.")
    before = webhook_outbox.counted_now(submission.assignment_id, submission.user_id)
    record = ScoreOverride(submission=submission, score=score, previous_score=submission.effective_score,
                           comment=comment, created_by=by, created_at=utcnow())
    db.session.add(record)
    submission.override_score = score
    db.session.flush()
    # In this transaction: integrations hear of it exactly when the new score counts.
    webhook_outbox.grade_updated(submission.assignment_id, submission.user_id, before, "override")
    db.session.commit()
    return record


def history(submission: Submission) -> list[ScoreOverride]:
    """Every override of the submission, newest first."""
    return list(db.session.scalars(select(ScoreOverride).where(ScoreOverride.submission_id == submission.id)
                                   .order_by(ScoreOverride.created_at.desc(), ScoreOverride.id.desc())))


def current(submission: Submission) -> ScoreOverride | None:
    """The override in force, with its comment (None when the graded score counts)."""
    if submission.override_score is None:
        return None
    return next(iter(history(submission)), None)
