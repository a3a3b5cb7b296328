"""Assignments: the process's one catalogue of assignment files (graders.catalogue), and
the Assignment rows of each course kept in step with it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, Course, LatePolicy, ScorePolicy, utcnow
from app.services.errors import NotFound
from graders.assignment import AssignmentError
from graders.catalogue import Catalogue, LoadedSpec

CATALOGUE = "nablagrade.catalogue"


def catalogue() -> Catalogue:
    """The catalogue of this app, made once from ASSIGNMENTS_DIR (a worker runs for weeks:
    it re-reads a file when it changes, and only then)."""
    extensions = current_app.extensions
    if CATALOGUE not in extensions:
        extensions[CATALOGUE] = Catalogue(current_app.config.get("ASSIGNMENTS_DIR") or None)
    return extensions[CATALOGUE]


def load_spec(course_code: str, name: str) -> LoadedSpec:
    """The spec of `name` as the course sees it (its own folder first), with its digest."""
    return catalogue().load(course_code, name)


def get_assignment(course_code: str, name: str) -> Assignment:
    row = db.session.scalar(select(Assignment).join(Course).where(Course.code == course_code,
                                                                  Assignment.name == name))
    if row is None:
        known = ", ".join(db.session.scalars(select(Assignment.name).join(Course).where(Course.code == course_code)
                                             .order_by(Assignment.name))) or "none yet"
        raise NotFound(f"{course_code} has no assignment {name!r} (assignments: {known})")
    return row


@dataclass(frozen=True)
class SyncOutcome:
    name: str
    action: str  # "created", "updated", "unchanged" or "error"
    message: str = ""


def problems_of(loaded: LoadedSpec) -> list[dict]:
    return [{"id": c.problem.id, "title": c.problem.title, "function": c.problem.function, "points": c.points}
            for c in loaded.spec.problems]


def apply_spec(row: Assignment, loaded: LoadedSpec) -> None:
    spec = loaded.spec
    row.title = spec.title
    row.problems = problems_of(loaded)
    row.max_score = spec.max_score
    row.due = spec.due
    row.late_policy = LatePolicy(spec.late_policy)
    row.late_penalty_per_day = spec.late_penalty_per_day
    row.max_submissions_per_day = spec.max_submissions_per_day
    row.score_policy = ScorePolicy(spec.score_policy)
    row.source_sha256 = loaded.digest
    row.synced_at = utcnow()


def sync(course: Course, names: list[str] | None = None) -> list[SyncOutcome]:
    """Create or update the course's assignments from the catalogue, and commit; a broken
    file is reported and skipped, the others still sync."""
    outcomes = []
    for name in names or catalogue().names(course.code):
        try:
            loaded = load_spec(course.code, name)
        except AssignmentError as exc:
            outcomes.append(SyncOutcome(name, "error", str(exc)))
            continue
        if loaded.spec.name != name:
            # The file name is the key workers load it by: a different `name` inside would
            # make a row no worker can find.
            outcomes.append(SyncOutcome(name, "error", f"{loaded.path} says name = {loaded.spec.name!r}; "
                                                       f"an assignment's name is its file name ({name!r})"))
            continue
        row = db.session.scalar(select(Assignment).where(Assignment.course_id == course.id, Assignment.name == name))
        if row is None:
            row = Assignment(course=course, name=name)
            apply_spec(row, loaded)
            db.session.add(row)
            outcomes.append(SyncOutcome(name, "created"))
        elif row.source_sha256 != loaded.digest:
            apply_spec(row, loaded)
            outcomes.append(SyncOutcome(name, "updated"))
        else:
            outcomes.append(SyncOutcome(name, "unchanged"))
    db.session.commit()
    return outcomes


def specs_in_use() -> list[tuple[str | None, str]]:
    """(course, name) of every assignment a worker may be asked to grade: the synced rows,
    or the shared files when nothing is synced yet."""
    rows = db.session.execute(select(Course.code, Assignment.name).join(Assignment.course)
                              .order_by(Course.code, Assignment.name)).all()
    if rows:
        return [(code, name) for code, name in rows]
    return [(None, name) for name in catalogue().names()]
