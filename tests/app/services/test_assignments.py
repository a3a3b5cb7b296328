"""Syncing assignment rows from the catalogue: created, unchanged, updated, broken, per course."""

from sqlalchemy import select

from app.extensions import db
from app.models import Assignment
from app.services import assignments


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
    assert {o.action for o in assignments.sync(course)} == {"unchanged"}
    path = assignments_dir / "t1.toml"
    original = path.read_text()
    try:
        path.write_text(original.replace("points = 15", "points = 30"))
        outcomes = {o.name: o.action for o in assignments.sync(course)}
        assert outcomes["t1"] == "updated"
        assert db.session.scalar(select(Assignment.max_score).where(Assignment.name == "t1")) == 40
    finally:
        path.write_text(original)


def test_a_broken_assignment_file_is_reported_not_raised(course, assignments_dir):
    broken = assignments_dir / "broken.toml"
    broken.write_text('name = "broken"\n[[problems]]\nid = "no_such_problem"\n')
    try:
        outcomes = {o.name: o for o in assignments.sync(course)}
    finally:
        broken.unlink()
    assert outcomes["broken"].action == "error"
    assert "no_such_problem" in outcomes["broken"].message
    assert outcomes["t1"].action == "unchanged"


def test_a_file_whose_name_disagrees_with_its_file_name_is_refused(course, assignments_dir):
    other = assignments_dir / "renamed.toml"
    other.write_text((assignments_dir / "t1.toml").read_text())  # says name = "t1"
    try:
        outcomes = {o.name: o for o in assignments.sync(course)}
    finally:
        other.unlink()
    assert outcomes["renamed"].action == "error"
    assert "name = 't1'" in outcomes["renamed"].message
    assert db.session.scalar(select(Assignment).where(Assignment.name == "renamed")) is None
