"""Accepting a submission: every rule a student can break is checked before anything is
stored, then the row is committed and only then is its grading job sent."""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app import jobs
from app.extensions import db
from app.models import Assignment, Course, Enrolment, LatePolicy, Submission, SubmissionStatus, User, utcnow
from graders.submission import SubmissionError, decode_submission

ATTEMPT_RETRIES = 3


class SubmissionRejected(ValueError):
    """The submission is refused; the message tells the student why, in one line."""


def find_assignment(course_code: str, name: str) -> Assignment:
    course = db.session.scalar(select(Course).where(Course.code == course_code))
    if course is None:
        raise SubmissionRejected(f"there is no course {course_code!r}")
    assignment = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id,
                                                            Assignment.name == name))
    if assignment is None:
        known = ", ".join(sorted(a.name for a in course.assignments)) or "none yet"
        raise SubmissionRejected(f"{course.code} has no assignment {name!r} (assignments: {known})")
    return assignment


def read_source(data: bytes, filename: str) -> str:
    try:
        source = decode_submission(data, filename)
    except SubmissionError as exc:
        raise SubmissionRejected(str(exc)) from None
    if not source.strip():
        raise SubmissionRejected(f"{filename} is empty")
    return source


def late_days(assignment: Assignment, now: dt.datetime) -> int:
    """Whole days (rounded up) past the due date; refuses the file under a no-late policy."""
    if assignment.due is None or now <= assignment.due:
        return 0
    if assignment.late_policy is LatePolicy.NONE:
        raise SubmissionRejected(
            f"{assignment.name} was due {assignment.due:%Y-%m-%d %H:%M} UTC and does not accept late submissions")
    return math.ceil((now - assignment.due) / dt.timedelta(days=1))


def check_daily_limit(assignment: Assignment, user: User, now: dt.datetime) -> None:
    limit = assignment.max_submissions_per_day
    if limit is None:
        return
    day_start = now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    used = db.session.scalar(
        select(func.count(Submission.id)).where(
            Submission.assignment_id == assignment.id, Submission.user_id == user.id,
            Submission.submitted_at >= day_start,
            # A system failure is the service's fault, not the student's: it does not use an attempt.
            Submission.status != SubmissionStatus.ERROR))
    if used >= limit:
        raise SubmissionRejected(
            f"you have used all {limit} submissions for {assignment.name} today; the count resets at 00:00 UTC")


def submit(user: User, course_code: str, assignment_name: str, data: bytes, filename: str = "submission.py",
           now: dt.datetime | None = None) -> Submission:
    """Store a submission as `queued` and send its grading job after the commit.

    Raises SubmissionRejected (and stores nothing) for an unknown course or assignment, a user
    not enrolled, an empty/binary/oversized/non-UTF-8 file, a late file under a no-late policy,
    or a file over the daily limit."""
    now = now or utcnow()
    assignment = find_assignment(course_code, assignment_name)
    enrolled = db.session.scalar(select(Enrolment).where(Enrolment.course_id == assignment.course_id,
                                                         Enrolment.user_id == user.id))
    if enrolled is None:
        raise SubmissionRejected(f"you are not enrolled in {assignment.course.code}")
    source = read_source(data, filename)
    days_late = late_days(assignment, now)
    for _ in range(ATTEMPT_RETRIES):
        # Lock the student's row so their concurrent uploads take attempt numbers one at a time
        # and cannot both slip under the daily limit (a no-op on SQLite, which serialises writers).
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
        check_daily_limit(assignment, user, now)
        attempt = (db.session.scalar(select(func.max(Submission.attempt)).where(
            Submission.assignment_id == assignment.id, Submission.user_id == user.id)) or 0) + 1
        submission = Submission(
            assignment=assignment, user=user, attempt=attempt, filename=filename[:255], code=source,
            sha256=hashlib.sha256(source.encode()).hexdigest(), late_days=days_late,
            status=SubmissionStatus.QUEUED, submitted_at=now, enqueued_at=utcnow())
        db.session.add(submission)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()  # another upload took this attempt number: count again
            continue
        jobs.enqueue_grading(db.session, submission.id)
        db.session.commit()
        return submission
    raise SubmissionRejected("too many uploads at the same moment; try again")
