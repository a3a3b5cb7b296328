"""A student's own view of their course: each assignment with their due date (their extension
when they have one), today's submission budget, the score that counts and their attempts; the
queue position of a waiting submission. The pages read these; the rules themselves live in
submissions (the daily limit), deadlines (the late policy) and results (which score counts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, Extension, LatePolicy, Submission, SubmissionStatus, utcnow
from app.services import access, deadlines, grading, results, submissions
from app.services.access import Membership


def is_final(submission: Submission) -> bool:
    """Nothing more will happen by itself: graded, or failed with no automatic retry left."""
    if submission.status is SubmissionStatus.GRADED:
        return True
    return submission.status is SubmissionStatus.ERROR and grading.retries_left(submission) == 0


@dataclass(frozen=True)
class Budget:
    """Today's submissions of one student to one assignment (failed gradings are not counted)."""

    limit: int | None
    used: int
    resets_at: dt.datetime

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(0, self.limit - self.used)

    @property
    def exhausted(self) -> bool:
        return self.left == 0

    @property
    def text(self) -> str:
        if self.limit is None:
            return f"No daily limit ({self.used} sent today)"
        return f"{self.left} of {self.limit} left today; resets at 00:00 UTC"


@dataclass(frozen=True)
class Standing:
    """One assignment as one student stands on it."""

    assignment: Assignment
    extension: Extension | None
    budget: Budget
    attempts: list[Submission]  # oldest first
    counted: Submission | None
    now: dt.datetime

    @property
    def due(self) -> dt.datetime | None:
        return self.extension.due if self.extension is not None else self.assignment.due

    @property
    def past_due(self) -> bool:
        return self.due is not None and self.now > self.due

    @property
    def closed(self) -> bool:
        """Past the due date under a policy that accepts nothing late."""
        return self.past_due and self.assignment.late_policy is LatePolicy.NONE

    @property
    def latest(self) -> Submission | None:
        return self.attempts[-1] if self.attempts else None


def _standing(assignment: Assignment, mine: list[Submission], extension: Extension | None,
              member: Membership, now: dt.datetime) -> Standing:
    start = submissions.day_start(now)
    used = sum(1 for s in mine if s.submitted_at >= start and s.status is not SubmissionStatus.ERROR)
    budget = Budget(assignment.max_submissions_per_day, used, start + dt.timedelta(days=1))
    return Standing(assignment, extension, budget, mine, results.counted(mine, assignment.score_policy), now)


def course_standings(member: Membership, now: dt.datetime | None = None) -> list[Standing]:
    """Every assignment of the member's course (soonest due first) as the member stands on it:
    three queries whatever the number of assignments."""
    now = now or utcnow()
    rows = access.course_assignments(member)
    ids = [a.id for a in rows]
    by_assignment: dict[int, list[Submission]] = {i: [] for i in ids}
    for submission in db.session.scalars(select(Submission).where(Submission.user_id == member.user.id,
                                                                  Submission.assignment_id.in_(ids))
                                         .order_by(Submission.attempt)):
        by_assignment[submission.assignment_id].append(submission)
    extensions = {e.assignment_id: e for e in db.session.scalars(
        select(Extension).where(Extension.user_id == member.user.id, Extension.assignment_id.in_(ids)))}
    return [_standing(a, by_assignment[a.id], extensions.get(a.id), member, now) for a in rows]


def standing(member: Membership, assignment: Assignment, now: dt.datetime | None = None) -> Standing:
    mine = list(db.session.scalars(select(Submission).where(Submission.user_id == member.user.id,
                                                            Submission.assignment_id == assignment.id)
                                   .order_by(Submission.attempt)))
    return _standing(assignment, mine, deadlines.extension_of(assignment, member.user), member, now or utcnow())


def queue_position(submission: Submission) -> int | None:
    """1 for the next submission a worker takes, counting every queued submission sent before
    this one (of any course: they share the workers); None once it has left the queue."""
    if submission.status is not SubmissionStatus.QUEUED:
        return None
    since = submission.enqueued_at or submission.submitted_at
    ahead = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.status == SubmissionStatus.QUEUED, Submission.enqueued_at < since))
    return (ahead or 0) + 1
