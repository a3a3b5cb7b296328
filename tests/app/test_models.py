import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, Submission, SubmissionStatus


def test_sync_reads_assignment_files(course):
    t1 = db.session.scalar(select(Assignment).where(Assignment.name == "t1"))
    assert [p["id"] for p in t1.problems] == ["sigmoid", "softmax"]
    assert t1.max_score == 25
    limited = db.session.scalar(select(Assignment).where(Assignment.name == "limited"))
    assert limited.max_submissions_per_day == 2
    closed = db.session.scalar(select(Assignment).where(Assignment.name == "closed"))
    assert closed.due is not None and closed.due.tzinfo is not None
    assert closed.late_policy.value == "none"


def test_sync_is_idempotent_and_picks_up_changes(course, assignments_dir):
    from app.assignment_sync import sync_assignments

    assert {o.action for o in sync_assignments(course)} == {"unchanged"}
    path = assignments_dir / "t1.toml"
    original = path.read_text()
    try:
        path.write_text(original.replace("points = 15", "points = 30"))
        outcomes = {o.name: o.action for o in sync_assignments(course)}
        assert outcomes["t1"] == "updated"
        db.session.commit()
        assert db.session.scalar(select(Assignment.max_score).where(Assignment.name == "t1")) == 40
    finally:
        path.write_text(original)


def test_a_broken_assignment_file_is_reported_not_raised(course, assignments_dir):
    from app.assignment_sync import sync_assignments

    broken = assignments_dir / "broken.toml"
    broken.write_text('name = "broken"\n[[problems]]\nid = "no_such_problem"\n')
    try:
        outcomes = {o.name: o for o in sync_assignments(course)}
    finally:
        broken.unlink()
    assert outcomes["broken"].action == "error"
    assert "no_such_problem" in outcomes["broken"].message
    assert outcomes["t1"].action == "unchanged"


def test_submission_timestamps_are_utc_aware(student):
    from app.submissions import submit
    from tests.app.services import CORRECT

    submission = submit(student, "T101", "t1", CORRECT.encode(), "hw.py")
    db.session.expire_all()
    stored = db.session.get(Submission, submission.id)
    assert stored.status is SubmissionStatus.QUEUED
    assert stored.submitted_at.tzinfo is not None and stored.enqueued_at is not None


def test_passwords_are_hashed(student):
    assert student.password_hash and "pw" not in student.password_hash
    assert student.check_password("pw")
    assert not student.check_password("wrong")


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_database_url_gets_the_psycopg_driver(monkeypatch, url, tmp_path):
    from app.config import database_url

    monkeypatch.setenv("DATABASE_URL", url)
    assert database_url(tmp_path) == "postgresql+psycopg://u@h/db"


def test_secret_key_is_generated_once_into_the_instance_folder(monkeypatch, tmp_path):
    from app.config import secret_key

    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert len(first) >= 32 and (tmp_path / "secret_key").exists()
    assert secret_key(tmp_path) == first
