"""Extensions and the late policy: submit time and grading time read the same due date."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Extension, Role, Submission
from app.services import assignments, deadlines, grading, people
from app.services.errors import NotFound, ServiceError
from app.services.submissions import SubmissionRejected, submit
from tests.support.servers import CORRECT

DOCUMENT = {"score": 25.0, "max_score": 25.0, "engine_version": "test", "problems": [], "passed": True}


def in_days(days: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=days)


def grade_now(submission_id: int) -> Submission:
    """Store a full-marks document through the real claim and store, as a worker would."""
    claimed = grading.claim(submission_id, f"task-{submission_id}-{dt.datetime.now().timestamp()}", "w")
    assert grading.store_result(claimed, DOCUMENT, "f" * 64)
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


def test_an_extension_opens_a_closed_assignment_for_one_student(student, course):
    other, _ = people.get_or_create_user("other@example.edu", "O", Role.STUDENT, "pw")
    people.enrol(other, course, Role.STUDENT)
    db.session.commit()
    extension = deadlines.grant_extension("T101", "closed", "Student@Example.edu", in_days(2), reason="flu")
    assert extension.user_id == student.id and extension.reason == "flu"
    accepted = submit(student, "T101", "closed", CORRECT.encode(), "hw.py")
    assert accepted.late_days == 0
    with pytest.raises(SubmissionRejected, match="does not accept late submissions"):
        submit(other, "T101", "closed", CORRECT.encode(), "hw.py")
    assert grade_now(accepted.id).score == 25.0


def test_a_late_students_penalty_follows_their_extension(student):
    closer = deadlines.grant_extension("T101", "penalised", "student@example.edu", in_days(-0.5))  # due 12 hours ago
    submission = submit(student, "T101", "penalised", CORRECT.encode(), "hw.py")
    assert submission.late_days == 1  # against the extension, not the assignment's 36 hours
    assert closer.due < dt.datetime.now(dt.UTC)
    graded = grade_now(submission.id)
    assert (graded.late_days, graded.raw_score, graded.score) == (1, 25.0, 22.5)
    assert graded.result["late"]["due"] == closer.due.isoformat()


def test_a_regrade_applies_the_extension_granted_since(student):
    submission = submit(student, "T101", "penalised", CORRECT.encode(), "hw.py")
    assert grade_now(submission.id).score == 20.0
    deadlines.grant_extension("T101", "penalised", "student@example.edu", in_days(1))
    assignment = assignments.get_assignment("T101", "penalised")
    assert grading.regrade_student(assignment, student) == 1
    regraded = grade_now(submission.id)
    assert (regraded.late_days, regraded.score, regraded.grade_count) == (0, 25.0, 2)
    deadlines.revoke_extension("T101", "penalised", "student@example.edu")
    grading.regrade_student(assignment, student)
    assert grade_now(submission.id).score == 20.0  # revoked: the assignment's date again


def test_granting_again_replaces_and_listing_shows_one(student):
    deadlines.grant_extension("T101", "t1", "student@example.edu", in_days(3), reason="first")
    deadlines.grant_extension("T101", "t1", "student@example.edu", in_days(5), reason="second")
    (only,) = deadlines.list_extensions("T101")
    assert only.reason == "second" and only.due > in_days(4)
    assert db.session.scalar(select(func.count(Extension.id))) == 1
    assert deadlines.list_extensions("T101", "closed") == []
    assert deadlines.effective_due(only.assignment, student) == only.due


@pytest.mark.parametrize(("assignment", "email", "due", "error", "message"), [
    ("nope", "student@example.edu", in_days(1), NotFound, "T101 has no assignment 'nope'"),
    ("t1", "ghost@example.edu", in_days(1), NotFound, "no user 'ghost@example.edu'"),
    ("t1", "outsider@example.edu", in_days(1), ServiceError, "outsider@example.edu is not enrolled in T101"),
    ("t1", "student@example.edu", dt.datetime(2026, 12, 20), ServiceError, "needs a time zone"),
    # Not an extension: it would make work late that is on time for the class (penalised: due 36 h ago).
    ("penalised", "student@example.edu", in_days(-3), ServiceError, "gives more time: .* is before the assignment's"),
    ("t1", "helper@example.edu", in_days(1), ServiceError, "helper@example.edu is ta in T101, not a student"),
])
def test_bad_grants_are_refused_and_store_nothing(student, course, assignment, email, due, error, message):
    people.get_or_create_user("outsider@example.edu", "Out", Role.STUDENT, "pw")
    helper, _ = people.get_or_create_user("helper@example.edu", "Help", Role.TA, "pw")
    people.enrol(helper, course, Role.TA)
    db.session.commit()
    with pytest.raises(error, match=message):
        deadlines.grant_extension("T101", assignment, email, due)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Extension.id))) == 0


def test_revoking_what_was_never_granted_says_so(student):
    with pytest.raises(NotFound, match="has no extension for T101/t1"):
        deadlines.revoke_extension("T101", "t1", "student@example.edu")
    with pytest.raises(NotFound, match="no course 'NOPE'"):
        deadlines.list_extensions("NOPE")
