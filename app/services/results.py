"""Results: where each student stands on an assignment, for the CLI now and the staff
dashboards later."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, Enrolment, Role, Submission, SubmissionStatus, User


@dataclass(frozen=True)
class StudentResult:
    """Where one student stands on one assignment. The submission that counts is the latest
    graded one (an assignment has no other rule yet); `latest_status` is that of their most
    recent upload, which may still be in the queue."""

    user: User
    attempts: int
    latest_status: SubmissionStatus | None
    counted: Submission | None

    @property
    def final(self) -> float | None:
        return self.counted.score if self.counted is not None else None

    @property
    def raw(self) -> float | None:
        if self.counted is None:
            return None
        if self.counted.raw_score is not None:
            return self.counted.raw_score
        return float((self.counted.result or {}).get("score", self.counted.score))  # graded before raw scores

    @property
    def penalty(self) -> float | None:
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
        graded = [s for s in mine if s.status is SubmissionStatus.GRADED]
        standings.append(StudentResult(person, len(mine), mine[-1].status if mine else None,
                                       graded[-1] if graded else None))
    return standings
