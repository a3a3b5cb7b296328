"""The Flask CLI commands, run through Flask's CLI runner against the test database."""

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, Role, Submission, SubmissionStatus, User
from app.services.submissions import submit
from tests.support.servers import CORRECT


def invoke(app, *args: str):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def test_users_create_and_duplicate(app_context):
    result = invoke(app_context, "users", "create", "Ada@Example.edu", "--role", "instructor", "--password", "pw")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ada@example.edu"))
    assert user.role is Role.INSTRUCTOR and user.check_password("pw")
    again = invoke(app_context, "users", "create", "ada@example.edu", "--password", "x")
    assert again.exit_code != 0 and "already exists" in again.output


def test_roster_import_creates_and_enrols(app_context, tmp_path):
    invoke(app_context, "courses", "create", "C1")
    roster = tmp_path / "roster.csv"
    roster.write_text("email,name,role\nann@example.edu,Ann,student\nted@example.edu,Ted,ta\n")
    result = invoke(app_context, "roster", "import", "C1", str(roster))
    assert result.exit_code == 0, result.output
    assert "2 users created, 2 new enrolments" in result.output
    assert "ann@example.edu: temporary password" in result.output
    roles = {e.user.email: e.role for e in db.session.scalars(select(Enrolment))}
    assert roles == {"ann@example.edu": Role.STUDENT, "ted@example.edu": Role.TA}
    assert "0 users created, 0 new enrolments" in invoke(app_context, "roster", "import", "C1", str(roster)).output


def test_roster_with_a_bad_row_imports_nothing(app_context, tmp_path):
    invoke(app_context, "courses", "create", "C1")
    roster = tmp_path / "roster.csv"
    roster.write_text("email,name\nann@example.edu,Ann\nnot-an-email,Bob\n")
    result = invoke(app_context, "roster", "import", "C1", str(roster))
    assert result.exit_code != 0 and "roster.csv:3" in result.output
    db.session.rollback()
    assert db.session.scalar(select(User).where(User.email == "ann@example.edu")) is None


def test_assignments_sync(app_context):
    result = invoke(app_context, "assignments", "sync", "--course", "T9")
    assert result.exit_code == 0, result.output
    assert "T9/t1: created" in result.output and "T9/limited: created" in result.output
    assert "T9/t1: unchanged" in invoke(app_context, "assignments", "sync", "--course", "T9", "t1").output


def test_regrade_requeues_and_status_reports(app, student, redis_server):
    submission = submit(student, "T101", "t1", CORRECT.encode(), "hw.py")
    submission.status = SubmissionStatus.GRADED
    db.session.commit()
    redis_server.client().delete("grading")

    result = invoke(app, "grading", "regrade", "--assignment", "t1", "--course", "T101")
    assert result.exit_code == 0 and "1 submissions of T101/t1 queued" in result.output
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status is SubmissionStatus.QUEUED
    assert redis_server.client().llen("grading") == 1
    assert invoke(app, "grading", "regrade", "--submission", "999").exit_code != 0

    status = invoke(app, "grading", "status")
    assert "queue grading" in status.output and "1 waiting" in status.output
    assert "queued 1" in status.output
    assert status.exit_code == 1  # no live worker: status says so and fails, like /healthz


def test_demo_seed_is_idempotent(app_context):
    first = invoke(app_context, "demo", "seed")
    assert first.exit_code == 0, first.output
    second = invoke(app_context, "demo", "seed")
    assert second.exit_code == 0
    assert "created" not in second.output
    emails = set(db.session.scalars(select(User.email)))
    assert {"instructor@example.edu", "ta@example.edu", "alice@example.edu"} <= emails
