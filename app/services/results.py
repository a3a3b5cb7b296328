"""Results: where each student stands on an assignment, for the CLI, the API's scores (an
LMS reconciling its gradebook) and the staff dashboards.

`counted` is the one rule for which submission's score counts, following the assignment's
score policy (latest or best). Whatever changes it (a regrade, a staff override) belongs
there, so the API, the pages, the dashboards and the exports cannot disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from app.extensions import db
from app.models import Assignment, Enrolment, Role, ScorePolicy, Submission, SubmissionStatus, User

POLICIES = tuple(p.value for p in ScorePolicy)


def counted(submissions: Sequence[Submission], policy: ScorePolicy = ScorePolicy.LATEST) -> Submission | None:
    """The submission whose score counts, of one student's submissions to one assignment:
    under `latest` the most recent graded one, even if lower; under `best` the highest final
    score (a staff override counting as the submission's score), the later attempt on a tie. Queued, running and failed ones never count."""
    graded = [s for s in submissions if s.status is SubmissionStatus.GRADED]
    if not graded:
        return None
    if policy is ScorePolicy.BEST:
        return max(graded, key=lambda s: (_final(s), s.attempt))
    return max(graded, key=lambda s: s.attempt)


def _final(submission: Submission) -> float:
    """The score a submission counts with: a staff override wins over the graded score. (Read
    with getattr: callers may pass lighter rows that carry status, attempt and score only.)"""
    override = getattr(submission, "override_score", None)
    score = override if override is not None else submission.score
    return score if score is not None else float("-inf")


@dataclass(frozen=True)
class StudentResult:
    """Where one student stands on one assignment. `counted` is the submission that counts
    under the assignment's score policy; `latest_status` is that of their most recent upload,
    which may still be in the queue."""

    user: User
    attempts: int
    latest_status: SubmissionStatus | None
    counted: Submission | None
    external_user_id: str | None = None  # the LMS's id of the student (changed_since only)
    updated_at: dt.datetime | None = None  # the last change to their submissions or enrolment (changed_since only)

    @property
    def final(self) -> float | None:
        """The score that counts: a staff override when there is one (Submission.effective_score)."""
        return self.counted.effective_score if self.counted is not None else None

    @property
    def overridden(self) -> bool:
        return self.counted is not None and self.counted.override_score is not None

    @property
    def raw(self) -> float | None:
        if self.counted is None:
            return None
        if self.counted.raw_score is not None:
            return self.counted.raw_score
        return float((self.counted.result or {}).get("score", self.counted.score))  # graded before raw scores

    @property
    def penalty(self) -> float | None:
        if self.overridden:
            return 0.0  # staff set the score itself: no late penalty is taken from it
        raw, final = self.raw, self.final
        return None if raw is None or final is None else round(raw - final, 4)


def standings(assignment: Assignment, user: User | None = None) -> list[StudentResult]:
    """Every student of the assignment's course (or just `user`), in email order, with the
    score that counts; students who submitted nothing are listed too."""
    if user is not None:
        people = [user]
    else:
        people = list(db.session.scalars(
            select(User).join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.course_id == assignment.course_id, Enrolment.role == Role.STUDENT).order_by(User.email)))
    by_user: dict[int, list[Submission]] = {person.id: [] for person in people}
    for submission in db.session.scalars(select(Submission).where(
            Submission.assignment_id == assignment.id, Submission.user_id.in_(list(by_user)))
            .order_by(Submission.attempt)):
        by_user[submission.user_id].append(submission)
    standings = []
    for person in people:
        mine = by_user[person.id]
        standings.append(StudentResult(person, len(mine), mine[-1].status if mine else None,
                                       counted(mine, assignment.score_policy)))
    return standings


def changed_since(assignment: Assignment, updated_since: dt.datetime | None = None,
                  after: tuple[dt.datetime, int] | None = None, limit: int | None = None) -> list[StudentResult]:
    """The course's students on `assignment` in (updated_at, user id) order, updated_at being
    the last change to any of their submissions of it (Submission.updated_at) or else their
    enrolment: those changed after `updated_since`, from after the keyset `after`, at most `limit`."""
    updated_at = func.coalesce(func.max(Submission.updated_at), Enrolment.created_at)
    query = (
        select(Enrolment.user_id, Enrolment.external_user_id, updated_at.label("updated_at"))
        .outerjoin(Submission, and_(Submission.user_id == Enrolment.user_id,
                                    Submission.assignment_id == assignment.id))
        .where(Enrolment.course_id == assignment.course_id, Enrolment.role == Role.STUDENT)
        .group_by(Enrolment.user_id, Enrolment.external_user_id, Enrolment.created_at)
        .order_by(updated_at, Enrolment.user_id).limit(limit))
    having = []
    if updated_since is not None:
        having.append(updated_at > updated_since)
    if after is not None:
        having.append(or_(updated_at > after[0], and_(updated_at == after[0], Enrolment.user_id > after[1])))
    if having:
        query = query.having(and_(*having))
    rows = db.session.execute(query).all()
    if not rows:
        return []
    ids = [row.user_id for row in rows]
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
    mine: dict[int, list[Submission]] = {user_id: [] for user_id in ids}
    for submission in db.session.scalars(select(Submission).where(Submission.assignment_id == assignment.id,
                                                                  Submission.user_id.in_(ids))
                                         .order_by(Submission.attempt)):
        mine[submission.user_id].append(submission)
    return [StudentResult(users[row.user_id], len(mine[row.user_id]),
                          mine[row.user_id][-1].status if mine[row.user_id] else None,
                          counted(mine[row.user_id], assignment.score_policy),
                          row.external_user_id, _utc(row.updated_at))
            for row in rows]


def _utc(moment: dt.datetime | str) -> dt.datetime:
    # SQLite hands an aggregate back naive (or as text when the type is lost): UTC either way.
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
