"""Accepting a submission: every rule a student can break is checked before anything is
stored, then the row is committed and only then is its grading job sent."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Assignment, Course, Enrolment, Extension, Submission, SubmissionStatus, User, utcnow
from app.services import deadlines, jobs, webhook_outbox
from app.services.errors import ServiceError
from app.services.webhook_events import SUBMISSION_RECEIVED
from graders.submission import MAX_BYTES, SubmissionError, decode_submission

ATTEMPT_RETRIES = 3
# The same bytes again within this long is a double click or a resent form, not a new attempt.
REPEAT_WINDOW = dt.timedelta(seconds=10)


class SubmissionRejected(ServiceError):
    """The submission is refused; the message tells the student why, in one line."""


class FileTooLarge(SubmissionRejected):
    """The file is over the size limit."""


class UnreadableFile(SubmissionRejected):
    """The file is empty, binary or not UTF-8: it cannot be Python source."""


class NotPython(SubmissionRejected):
    """The file's name does not end in .py."""


class RepeatedSubmission(SubmissionRejected):
    """The same bytes as the student's previous upload, moments after it."""

    def __init__(self, message: str, previous: Submission) -> None:
        super().__init__(message)
        self.previous = previous


class PastDue(SubmissionRejected):
    """The assignment is past its due date and accepts no late submission."""


class DailyLimitReached(SubmissionRejected):
    """Today's submissions for the assignment are used up; `resets_at` is when they come back."""

    def __init__(self, message: str, resets_at: dt.datetime) -> None:
        super().__init__(message)
        self.resets_at = resets_at


# Every upload runs these; they are built once, because building and hashing a statement
# costs more CPU than the database spends on it (SQLAlchemy memoises a built statement's key).
FIND_ASSIGNMENT = (
    select(Assignment, Enrolment.user_id, Extension.due)
    .join(Course, Course.id == Assignment.course_id)
    .outerjoin(Enrolment, and_(Enrolment.course_id == Course.id, Enrolment.user_id == bindparam("user_id")))
    .outerjoin(Extension, and_(Extension.assignment_id == Assignment.id, Extension.user_id == bindparam("user_id")))
    .where(Course.code == bindparam("course_code"), Assignment.name == bindparam("assignment_name")))
LOCK_STUDENT = select(User.id).where(User.id == bindparam("user_id")).with_for_update()
ATTEMPTS = (
    select(func.max(Submission.attempt),
           # A system failure is the service's fault, not the student's: it does not use an attempt.
           func.count(Submission.id).filter(Submission.submitted_at >= bindparam("day_start"),
                                            Submission.status != SubmissionStatus.ERROR))
    .where(Submission.assignment_id == bindparam("assignment_id"), Submission.user_id == bindparam("user_id")))


def find_assignment(course_code: str, name: str, user: User) -> tuple[Assignment, bool, dt.datetime | None]:
    """The assignment, whether `user` is enrolled in its course and their extension's due
    date, in one query: this runs on every upload. The two slower queries below only run to
    explain a refusal."""
    found = db.session.execute(FIND_ASSIGNMENT, {"user_id": user.id, "course_code": course_code,
                                                 "assignment_name": name}).first()
    if found is not None:
        return found[0], found[1] is not None, found[2]
    course = db.session.scalar(select(Course).where(Course.code == course_code))
    if course is None:
        raise SubmissionRejected(f"there is no course {course_code!r}")
    known = ", ".join(sorted(a.name for a in course.assignments)) or "none yet"
    raise SubmissionRejected(f"{course.code} has no assignment {name!r} (assignments: {known})")


def read_source(data: bytes, filename: str) -> str:
    if not filename.lower().endswith(".py"):
        raise NotPython(f"{filename} is not a Python file: upload a file whose name ends in .py")
    try:
        source = decode_submission(data, filename)
    except SubmissionError as exc:
        raise (FileTooLarge if len(data) > MAX_BYTES else UnreadableFile)(str(exc)) from None
    if not source.strip():
        raise UnreadableFile(f"{filename} is empty")
    return source


def late_days(assignment: Assignment, extension_due: dt.datetime | None, now: dt.datetime) -> int:
    """Whole days (rounded up) past the student's due date; refuses the file under a no-late policy."""
    lateness = deadlines.assess(assignment.late_policy, assignment.late_penalty_per_day, assignment.due,
                                extension_due, now)
    if not lateness.accepted:
        yours = " (your extension)" if extension_due is not None else ""
        raise PastDue(f"{assignment.name} was due {lateness.due:%Y-%m-%d %H:%M} UTC{yours}"
                      " and does not accept late submissions")
    return lateness.days_late


def day_start(now: dt.datetime) -> dt.datetime:
    """The daily limit counts from 00:00 UTC."""
    return now.astimezone(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def attempts_so_far(assignment: Assignment, user: User, now: dt.datetime) -> tuple[int, int]:
    """(the student's last attempt number, uploads counted against today's limit): one statement."""
    last, used_today = db.session.execute(ATTEMPTS, {"day_start": day_start(now), "assignment_id": assignment.id,
                                                     "user_id": user.id}).one()
    return last or 0, used_today


def next_attempt(assignment: Assignment, user: User, now: dt.datetime) -> int:
    """The attempt number of a new upload; refuses it when today's uploads reach the daily limit.

    Read after the caller has locked the student's row."""
    last, used_today = attempts_so_far(assignment, user, now)
    limit = assignment.max_submissions_per_day
    if limit is not None and used_today >= limit:
        raise DailyLimitReached(
            f"you have used all {limit} submissions for {assignment.name} today; the count resets at 00:00 UTC",
            day_start(now) + dt.timedelta(days=1))
    return last + 1


def refuse_repeat(assignment: Assignment, user: User, sha256: str, now: dt.datetime, window: dt.timedelta) -> None:
    """Refuse the same bytes as the student's previous upload when it came less than `window` ago."""
    previous = db.session.scalar(select(Submission).where(Submission.assignment_id == assignment.id,
                                                          Submission.user_id == user.id)
                                 .order_by(Submission.attempt.desc()).limit(1))
    if previous is not None and previous.sha256 == sha256 and now - previous.submitted_at < window:
        seconds = max(0, int((now - previous.submitted_at).total_seconds()))
        when = "just now" if seconds < 1 else f"{seconds} s ago"
        raise RepeatedSubmission(f"you sent exactly this file {when} (attempt {previous.attempt}); it was not sent again",
                                 previous)


def commit_keeping_state() -> None:
    """Commit without expiring the session's objects: the new row holds exactly what was just
    written, and expiring it would make the caller's next `submission.id` a SELECT."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def submit(user: User, course_code: str, assignment_name: str, data: bytes, filename: str = "submission.py",
           now: dt.datetime | None = None, repeat_window: dt.timedelta | None = None) -> Submission:
    """Store a submission as `queued` and send its grading job after the commit.

    Raises SubmissionRejected (and stores nothing) for an unknown course or assignment, a user
    not enrolled, a file whose name is not .py, an empty/binary/oversized/non-UTF-8 file, a late
    file under a no-late policy, a file over the daily limit, or (with `repeat_window`, as the
    web form asks) the same bytes as the previous upload within that window. The API has
    Idempotency-Key for repeats instead."""
    submission = stage(user, course_code, assignment_name, data, filename, now, repeat_window)
    commit_keeping_state()
    return submission


def stage(user: User, course_code: str, assignment_name: str, data: bytes, filename: str = "submission.py",
          now: dt.datetime | None = None, repeat_window: dt.timedelta | None = None) -> Submission:
    """`submit` without the commit: the row is flushed in the caller's transaction (which may
    hold more, such as an API idempotency key) and its job is sent when that commits."""
    now = now or utcnow()
    assignment, enrolled, extension_due = find_assignment(course_code, assignment_name, user)
    if not enrolled:
        raise SubmissionRejected(f"you are not enrolled in {course_code}")
    source = read_source(data, filename)
    days_late = late_days(assignment, extension_due, now)
    sha256 = hashlib.sha256(source.encode()).hexdigest()
    for _ in range(ATTEMPT_RETRIES):
        # Lock the student's row so their concurrent uploads take attempt numbers one at a time
        # and cannot both slip under the daily limit (a no-op on SQLite, which serialises writers).
        db.session.execute(LOCK_STUDENT, {"user_id": user.id})
        if repeat_window is not None:
            refuse_repeat(assignment, user, sha256, now, repeat_window)
        attempt = next_attempt(assignment, user, now)
        submission = Submission(
            assignment=assignment, user=user, attempt=attempt, filename=filename[:255], code=source,
            sha256=sha256, late_days=days_late,
            status=SubmissionStatus.QUEUED, submitted_at=now, enqueued_at=utcnow())
        try:
            # A savepoint: losing the race for an attempt number must not undo the caller's work.
            with db.session.begin_nested():
                db.session.add(submission)
        except IntegrityError:
            continue  # another upload took this attempt number: count again
        jobs.enqueue_grading(db.session, submission.id)
        # In this transaction: the event exists exactly when the submission does.
        webhook_outbox.submission_event(SUBMISSION_RECEIVED, submission.id,
                                        webhook_outbox.subscribed(assignment.course_id, SUBMISSION_RECEIVED))
        return submission
    raise SubmissionRejected("too many uploads at the same moment; try again")
