"""Keep the Assignment rows of a course in step with the files in assignments/."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, Course, LatePolicy, utcnow
from graders.assignment import Assignment as AssignmentSpec
from graders.assignment import AssignmentError, load_assignment_file


def assignments_dir() -> Path:
    return Path(current_app.config["ASSIGNMENTS_DIR"])


def assignment_names() -> list[str]:
    return sorted(path.stem for path in assignments_dir().glob("*.toml"))


def load_spec(name: str) -> AssignmentSpec:
    """The parsed assignment file `<ASSIGNMENTS_DIR>/<name>.toml`."""
    path = assignments_dir() / f"{name}.toml"
    if not path.is_file():
        raise AssignmentError(f"no assignment file {name}.toml in {assignments_dir()}")
    return load_assignment_file(path)


@dataclass(frozen=True)
class SyncOutcome:
    name: str
    action: str  # "created", "updated", "unchanged" or "error"
    message: str = ""


def problems_of(spec: AssignmentSpec) -> list[dict]:
    return [{"id": c.problem.id, "title": c.problem.title, "function": c.problem.function, "points": c.points}
            for c in spec.problems]


def apply_spec(row: Assignment, spec: AssignmentSpec, digest: str) -> None:
    row.title = spec.title
    row.problems = problems_of(spec)
    row.max_score = spec.max_score
    row.due = spec.due
    row.late_policy = LatePolicy(spec.late_policy)
    row.late_penalty_per_day = spec.late_penalty_per_day
    row.max_submissions_per_day = spec.max_submissions_per_day
    row.source_sha256 = digest
    row.synced_at = utcnow()


def sync_assignments(course: Course, names: list[str] | None = None) -> list[SyncOutcome]:
    """Create or update the course's assignments from their TOML files; a broken file is
    reported and skipped, the others still sync. The caller commits."""
    outcomes = []
    for name in names or assignment_names():
        try:
            spec = load_spec(name)
        except AssignmentError as exc:
            outcomes.append(SyncOutcome(name, "error", str(exc)))
            continue
        assert spec.source is not None
        digest = hashlib.sha256(spec.source.read_bytes()).hexdigest()
        row = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id,
                                                         Assignment.name == spec.name))
        if row is None:
            row = Assignment(course=course, name=spec.name)
            apply_spec(row, spec, digest)
            db.session.add(row)
            outcomes.append(SyncOutcome(spec.name, "created"))
        elif row.source_sha256 != digest:
            apply_spec(row, spec, digest)
            outcomes.append(SyncOutcome(spec.name, "updated"))
        else:
            outcomes.append(SyncOutcome(spec.name, "unchanged"))
    return outcomes
