"""The staff gradebook of one assignment: one row per student (the score that counts, the best
score, attempts, the last submission, late days, the extension), sorted and filtered on the
server; and the exports, which stream.

Exports walk the students in batches (yield_per: a server-side cursor on PostgreSQL) and fetch
each batch's submissions with one query, yielding the CSV text of a batch before reading the
next, so a course of thousands never sits in memory at once. The score that counts comes from
results.counted, the rule the API and the dashboards use."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import defer, undefer

from app.extensions import db
from app.models import Assignment, Enrolment, Extension, Role, Submission, SubmissionStatus, User
from app.services import results

EXPORT_BATCH = 200  # students per batch; their counted result documents are in memory at once

SORTS = ("name", "email", "score", "best", "attempts", "last", "late", "extension")
FILTERS = {
    "all": "Everyone",
    "missing": "No submission",
    "submitted": "Submitted",
    "below": "Below full marks",
    "full": "Full marks",
    "late": "Late",
    "extension": "With an extension",
    "overridden": "Score overridden",
    "failed": "Grading failed",
}
LAYOUTS = ("generic", "canvas", "moodle")


@dataclass
class StudentRow:
    user: User
    external_user_id: str | None
    submissions: list[Submission]
    counted: Submission | None
    extension: Extension | None
    max_score: float

    @property
    def attempts(self) -> int:
        return len(self.submissions)

    @property
    def score(self) -> float | None:
        return self.counted.effective_score if self.counted is not None else None

    @property
    def best(self) -> float | None:
        scores = [s.effective_score for s in self.submissions
                  if s.status is SubmissionStatus.GRADED and s.effective_score is not None]
        return max(scores) if scores else None

    @property
    def last_submitted(self) -> dt.datetime | None:
        return max((s.submitted_at for s in self.submissions), default=None)

    @property
    def latest_status(self) -> SubmissionStatus | None:
        return self.submissions[-1].status if self.submissions else None

    @property
    def late_days(self) -> int | None:
        return self.counted.late_days if self.counted is not None else None

    @property
    def overridden(self) -> bool:
        return self.counted is not None and self.counted.override_score is not None


def _rows_for(assignment: Assignment, people: Sequence[tuple[User, str | None]], *,
              with_results: bool = False) -> list[StudentRow]:
    ids = [user.id for user, _ in people]
    mine: dict[int, list[Submission]] = {i: [] for i in ids}
    query = (select(Submission).where(Submission.assignment_id == assignment.id, Submission.user_id.in_(ids))
             .order_by(Submission.user_id, Submission.attempt)
             .options(defer(Submission.code), defer(Submission.result)))
    for submission in db.session.scalars(query):
        mine[submission.user_id].append(submission)
    extensions = {e.user_id: e for e in db.session.scalars(
        select(Extension).where(Extension.assignment_id == assignment.id, Extension.user_id.in_(ids)))}
    rows = [StudentRow(user, external, mine[user.id], results.counted(mine[user.id], assignment.score_policy),
                       extensions.get(user.id), assignment.max_score) for user, external in people]
    if with_results:
        # Only the documents of the submissions that count (one per student, of many attempts),
        # in one query that fills in the deferred column of the rows already loaded.
        counted = [row.counted.id for row in rows if row.counted is not None]
        if counted:
            db.session.scalars(select(Submission).where(Submission.id.in_(counted))
                               .options(undefer(Submission.result))).all()
    return rows


def _students(assignment: Assignment) -> Any:
    return (select(User, Enrolment.external_user_id).join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.course_id == assignment.course_id, Enrolment.role == Role.STUDENT)
            .order_by(User.email))


def student_rows(assignment: Assignment) -> list[StudentRow]:
    """Every student of the course on this assignment, by email."""
    people = [(user, external) for user, external in db.session.execute(_students(assignment))]
    return _rows_for(assignment, people) if people else []



def rows_for_student(assignment: Assignment, user: User) -> StudentRow:
    external = db.session.scalar(select(Enrolment.external_user_id).where(
        Enrolment.course_id == assignment.course_id, Enrolment.user_id == user.id))
    return _rows_for(assignment, [(user, external)])[0]


def _sort_key(sort: str) -> Callable[[StudentRow], Any]:
    # Rows with no value sort after those with one, in either direction (handled by the caller).
    return {
        "name": lambda r: (r.user.name or "").lower(),
        "email": lambda r: r.user.email.lower(),
        "score": lambda r: r.score,
        "best": lambda r: r.best,
        "attempts": lambda r: r.attempts,
        "last": lambda r: r.last_submitted,
        "late": lambda r: r.late_days,
        "extension": lambda r: r.extension.due if r.extension is not None else None,
    }[sort]


def _keep(row: StudentRow, state: str) -> bool:
    return {
        "all": True,
        "missing": row.attempts == 0,
        "submitted": row.attempts > 0,
        "below": row.score is not None and row.score < row.max_score - 1e-9,
        "full": row.score is not None and row.score >= row.max_score - 1e-9,
        "late": bool(row.late_days),
        "extension": row.extension is not None,
        "overridden": row.overridden,
        "failed": row.latest_status is SubmissionStatus.ERROR,
    }[state]


def table(assignment: Assignment, *, q: str = "", state: str = "all", sort: str = "email",
          descending: bool = False) -> list[StudentRow]:
    """The students table: `q` matches name, email or LMS id (case-insensitive), `state` is one
    of FILTERS, `sort` one of SORTS; rows without a value for the sort key come last."""
    if state not in FILTERS:
        state = "all"
    if sort not in SORTS:
        sort = "email"
    needle = q.strip().lower()
    rows = [r for r in student_rows(assignment) if _keep(r, state) and (
        not needle or needle in r.user.email.lower() or needle in (r.user.name or "").lower()
        or needle in (r.external_user_id or "").lower() or needle in (r.user.external_id or "").lower())]
    key = _sort_key(sort)
    present = [r for r in rows if key(r) is not None]
    absent = [r for r in rows if key(r) is None]
    # Ties stay in email order either way: Python's sort is stable, reversed or not.
    present.sort(key=lambda r: r.user.email)
    present.sort(key=key, reverse=descending)
    return present + absent


# ---- exports -------------------------------------------------------------------------------------

def batches(assignment: Assignment, batch: int | None = None, *,
            with_results: bool = False) -> Iterator[list[StudentRow]]:
    """The students' rows, `batch` students at a time, streamed from the database."""
    size = batch or EXPORT_BATCH
    result = db.session.execute(_students(assignment).execution_options(yield_per=size))
    for part in result.partitions(size):
        yield _rows_for(assignment, [(user, external) for user, external in part], with_results=with_results)


def _csv(rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".")


def _names(user: User) -> tuple[str, str]:
    parts = (user.name or "").strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


def _problem_scores(row: StudentRow, problem_ids: Sequence[str]) -> list[str]:
    found = {p.get("id"): p.get("score") for p in ((row.counted.result or {}).get("problems", [])
                                                   if row.counted is not None else [])}
    return [_number(found.get(pid)) for pid in problem_ids]


def gradebook_csv(assignment: Assignment, layout: str = "generic", batch: int | None = None) -> Iterator[str]:
    """The gradebook as CSV text, one chunk per batch of students.

    generic: every column we know; canvas: Canvas's gradebook import (Student, ID, SIS User ID,
    SIS Login ID, Section, the assignment, and its "Points Possible" row); moodle: Moodle's grade
    import (First name, Last name, ID number, Email address, the grade)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    problems = [p["id"] for p in assignment.problems]
    title = assignment.title or assignment.name
    if layout == "generic":
        yield _csv([["email", "name", "external_user_id", "sis_id", "score", "max_score", "raw_score", "late_days",
                     "overridden", "attempts", "submission_id", "attempt", "status", "graded_at",
                     *[f"problem:{pid}" for pid in problems]]])
    elif layout == "canvas":
        yield _csv([["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title],
                    ["    Points Possible", "", "", "", "", _number(assignment.max_score)]])
    else:
        yield _csv([["First name", "Last name", "ID number", "Email address", f"{title} (Real)"]])
    for rows in batches(assignment, batch, with_results=layout == "generic"):
        lines: list[list[Any]] = []
        for row in rows:
            user, counted = row.user, row.counted
            if layout == "generic":
                lines.append([user.email, user.name, row.external_user_id or "", user.external_id or "",
                              _number(row.score), _number(assignment.max_score),
                              _number(counted.raw_score if counted is not None else None),
                              "" if row.late_days is None else row.late_days, "yes" if row.overridden else "no",
                              row.attempts, counted.id if counted is not None else "",
                              counted.attempt if counted is not None else "",
                              row.latest_status.value if row.latest_status is not None else "none",
                              f"{counted.graded_at:%Y-%m-%dT%H:%M:%SZ}" if counted is not None and counted.graded_at
                              else "", *_problem_scores(row, problems)])
            elif layout == "canvas":
                lines.append([user.name, row.external_user_id or "", user.external_id or "", user.email, "",
                              _number(row.score)])
            else:
                first, last = _names(user)
                lines.append([first, last, user.external_id or "", user.email, _number(row.score)])
        del rows  # so that only one batch of documents is alive while the next is read
        yield _csv(lines)


def item_analysis_csv(assignment: Assignment, batch: int | None = None) -> Iterator[str]:
    """One line per student, problem and check of the submission that counts: for item
    analysis (which check fails most, and with which diagnosis)."""
    yield _csv([["email", "external_user_id", "submission_id", "problem", "check", "category", "visible", "passed",
                 "score", "max_score", "diagnosis"]])
    for rows in batches(assignment, batch, with_results=True):
        lines: list[list[Any]] = []
        for row in rows:
            if row.counted is None:
                continue
            for problem in (row.counted.result or {}).get("problems", []):
                for check in problem.get("checks", []):
                    lines.append([row.user.email, row.external_user_id or "", row.counted.id, problem.get("id"),
                                  check.get("name"), check.get("category", ""),
                                  "yes" if check.get("visible") else "no", "yes" if check.get("passed") else "no",
                                  _number(check.get("score")), _number(check.get("max_score")),
                                  check.get("diagnosis") or ""])
        del rows
        yield _csv(lines)
