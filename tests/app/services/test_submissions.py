"""Bad input at the service layer: a clear message, and nothing stored, nothing sent."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, Submission, SubmissionStatus
from app.services import people
from app.services.submissions import REPEAT_WINDOW, NotPython, RepeatedSubmission, SubmissionRejected, submit
from tests.support.servers import CORRECT


def stored() -> int:
    return db.session.scalar(select(func.count(Submission.id)))


def queued_messages(redis_server) -> int:
    return redis_server.client().llen("grading")


def test_an_accepted_submission_is_stored_then_sent(student, redis_server):
    submission = submit(student, "T101", "t1", CORRECT.encode(), "hw.py")
    assert submission.attempt == 1 and submission.status is SubmissionStatus.QUEUED
    assert len(submission.sha256) == 64 and submission.code == CORRECT
    assert queued_messages(redis_server) == 1
    second = submit(student, "T101", "t1", CORRECT.encode(), "hw.py")
    assert second.attempt == 2
    assert queued_messages(redis_server) == 2


@pytest.mark.parametrize(("course_code", "assignment", "data", "message"), [
    ("T101", "nope", CORRECT.encode(), "T101 has no assignment 'nope'"),
    ("NOPE", "t1", CORRECT.encode(), "there is no course 'NOPE'"),
    ("T101", "t1", b"", "hw.py is empty"),
    ("T101", "t1", b"   \n\t\n", "hw.py is empty"),
    ("T101", "t1", b"x = 1\n" * 50_000, "the limit is 256 KiB"),
    ("T101", "t1", b"\x00\x01binary", "binary file"),
    ("T101", "t1", b"caf\xe9 = 1", "not UTF-8"),
    ("T101", "t1", b"# coding: rot13\nqrs s(k):\n    erghea k\n", "declares the encoding 'rot13'"),
    ("T101", "closed", CORRECT.encode(), "does not accept late submissions"),
])
def test_bad_input_is_refused_and_nothing_is_stored(student, redis_server, course_code, assignment, data, message):
    with pytest.raises(SubmissionRejected, match=message):
        submit(student, course_code, assignment, data, "hw.py")
    db.session.rollback()
    assert stored() == 0
    assert queued_messages(redis_server) == 0


def test_only_python_files_are_taken(student, redis_server):
    for name in ("hw.txt", "hw", "hw.py.zip", "hw.ipynb"):
        with pytest.raises(NotPython, match=f"{re.escape(name)} is not a Python file"):
            submit(student, "T101", "t1", CORRECT.encode(), name)
        db.session.rollback()
    assert stored() == 0 and queued_messages(redis_server) == 0
    assert submit(student, "T101", "t1", CORRECT.encode(), "HW1.PY").attempt == 1


def test_the_same_bytes_again_within_the_window_are_refused_when_asked(student, redis_server):
    start = dt.datetime.now(dt.UTC)
    first = submit(student, "T101", "t1", CORRECT.encode(), "hw.py", now=start, repeat_window=REPEAT_WINDOW)
    with pytest.raises(RepeatedSubmission, match=r"you sent exactly this file 3 s ago \(attempt 1\)") as refused:
        submit(student, "T101", "t1", CORRECT.encode(), "other.py", now=start + dt.timedelta(seconds=3),
               repeat_window=REPEAT_WINDOW)
    assert refused.value.previous.id == first.id
    db.session.rollback()
    with pytest.raises(RepeatedSubmission, match=r"you sent exactly this file just now \(attempt 1\)"):  # not "0 s ago"
        submit(student, "T101", "t1", CORRECT.encode(), "hw.py", now=start + dt.timedelta(milliseconds=300),
               repeat_window=REPEAT_WINDOW)
    db.session.rollback()
    assert stored() == 1 and queued_messages(redis_server) == 1
    # Other bytes at once, the same bytes after the window, or a caller that does not ask: new attempts.
    assert submit(student, "T101", "t1", (CORRECT + "\n").encode(), "hw.py", now=start + dt.timedelta(seconds=4),
                  repeat_window=REPEAT_WINDOW).attempt == 2
    assert submit(student, "T101", "t1", CORRECT.encode(), "hw.py", now=start + dt.timedelta(seconds=5)).attempt == 3
    assert submit(student, "T101", "t1", CORRECT.encode(), "hw.py", now=start + dt.timedelta(seconds=16),
                  repeat_window=REPEAT_WINDOW).attempt == 4


def test_the_daily_limit_counts_todays_attempts(student, redis_server):
    for _ in range(2):
        submit(student, "T101", "limited", CORRECT.encode(), "hw.py")
    with pytest.raises(SubmissionRejected, match="used all 2 submissions for limited today"):
        submit(student, "T101", "limited", CORRECT.encode(), "hw.py")
    assert stored() == 2 and queued_messages(redis_server) == 2
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    assert submit(student, "T101", "limited", CORRECT.encode(), "hw.py", now=tomorrow).attempt == 3


def test_system_errors_do_not_use_up_the_daily_limit(student):
    first = submit(student, "T101", "limited", CORRECT.encode(), "hw.py")
    submit(student, "T101", "limited", CORRECT.encode(), "hw.py")
    first.status = SubmissionStatus.ERROR
    db.session.commit()
    assert submit(student, "T101", "limited", CORRECT.encode(), "hw.py").attempt == 3


def test_a_user_outside_the_course_cannot_submit(course):
    outsider, _ = people.get_or_create_user("outsider@example.edu", "Out", Role.STUDENT, "pw")
    db.session.commit()
    with pytest.raises(SubmissionRejected, match="not enrolled in T101"):
        submit(outsider, "T101", "t1", CORRECT.encode(), "hw.py")
    assert stored() == 0


def test_late_days_are_recorded_under_a_penalty_policy(student):
    submission = submit(student, "T101", "penalised", CORRECT.encode(), "hw.py")
    assert submission.late_days == 2  # due 36 hours ago: rounded up to whole days


def test_a_rolled_back_transaction_sends_no_job(student, redis_server):
    from app.services import jobs

    jobs.enqueue_grading(db.session, 12345)
    db.session.rollback()
    db.session.commit()
    assert queued_messages(redis_server) == 0


def test_a_broker_outage_loses_nothing(student, app, redis_server):
    """The row is committed even when the job cannot be sent; the sweeper re-sends it."""
    from app.services import grading

    redis_server.stop()
    try:
        submission = submit(student, "T101", "t1", CORRECT.encode(), "hw.py")
        assert submission.status is SubmissionStatus.QUEUED
    finally:
        redis_server.start()
    assert queued_messages(redis_server) == 0
    submission.enqueued_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    db.session.commit()
    report = grading.sweep()
    assert report.resent_queued == 1
    assert queued_messages(redis_server) == 1
    assert grading.sweep(now=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)).resent_queued == 0  # not twice
