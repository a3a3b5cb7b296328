"""What an assignment's dashboard shows staff: the spread of the scores that count, the pass
rate of every problem and check, what the class gets wrong (diagnoses and catalogued
mistakes), when people submit around the deadline, and how fast grading is now.

One pass over the assignment's submissions in batches (yield_per), grouped per student, so
memory holds one student's attempts at a time; the score that counts comes from
results.counted, the same rule as the gradebook and the API."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from app.charts import bar_chart, histogram_chart, series_chart
from app.config import GRADING_QUEUE
from app.extensions import db
from app.models import Assignment, Enrolment, Role, Submission, SubmissionStatus
from app.services import assignments, jobs, results

BATCH = 500
LATENCY_SAMPLE = 500  # the most recent results the latency percentiles are taken over
MISTAKE_MARK = "This is a common mistake: "
TIMELINE_BEFORE = dt.timedelta(days=3)
TIMELINE_AFTER = dt.timedelta(days=1)
MAX_TIMELINE_BINS = 120


@dataclass
class Share:
    """How many students (of `of`) something applies to."""

    label: str
    count: int
    of: int
    detail: str = ""  # the catalogued mistake's hint; a diagnosis's code

    @property
    def percent(self) -> float:
        return 100.0 * self.count / self.of if self.of else 0.0

    @property
    def text(self) -> str:
        """What a person reads: the mistake's hint, or the diagnosis in words."""
        return self.detail or self.label.replace("_", " ")

    @property
    def item(self) -> tuple[str, float]:
        """(label, percent) for the bar_list macro."""
        return f"{self.text} ({self.count} of {self.of})", self.percent


@dataclass
class ProblemStats:
    id: str
    title: str
    points: float
    passed: int = 0  # students whose counted submission passed every check of the problem
    checks: dict[str, list[int]] = field(default_factory=dict)  # name -> [passed, seen]
    diagnoses_now: Counter[str] = field(default_factory=Counter)  # in the counted submission
    diagnoses_ever: Counter[str] = field(default_factory=Counter)  # in any graded attempt
    mistakes_now: Counter[str] = field(default_factory=Counter)
    mistakes_ever: Counter[str] = field(default_factory=Counter)


@dataclass
class Latency:
    samples: int
    p50: float | None  # seconds from queued to graded
    p95: float | None
    wait_p50: float | None  # seconds from queued to a worker picking it up


@dataclass
class Queue:
    queued: int  # of this assignment
    running: int
    broker_depth: int | None  # jobs waiting in the grading queue, all courses (None: broker unreachable)


@dataclass
class Dashboard:
    assignment: Assignment
    students: int
    submitted: int  # students with at least one submission
    graded: int  # students with a score that counts
    mean: float | None
    median: float | None
    histogram: dict[str, Any]
    pass_rates: dict[str, Any]
    problems: list[ProblemStats]
    mistakes: dict[str, list[Share]]  # problem id -> shares, most frequent first
    diagnoses: dict[str, list[Share]]
    timeline: dict[str, Any] | None
    latency: Latency
    queue: Queue


def catalogue_hints(assignment: Assignment) -> dict[str, list[tuple[str, str]]]:
    """Problem id -> [(mistake name, hint)] from the assignment file (empty if it cannot be read)."""
    try:
        loaded = assignments.load_spec(assignment.course.code, assignment.name)
    except Exception:  # noqa: BLE001 - a broken file must not take the dashboard down: mistakes unnamed
        return {}
    return {config.problem.id: [(m.name, m.hint) for m in config.problem.mistakes] for config in loaded.spec.problems}


def mistakes_of(problem: dict[str, Any], hints: Sequence[tuple[str, str]]) -> set[str]:
    """The catalogued mistakes a problem's result names (by their hint, in the checks' messages)."""
    messages = [str(check.get("message") or "") for check in problem.get("checks", []) if not check.get("passed")]
    found = {name for name, hint in hints if any(hint in message for message in messages)}
    if not found:
        # Unknown to the current file (it changed since): keep the hint text itself.
        for message in messages:
            if MISTAKE_MARK in message:
                found.add(message.split(MISTAKE_MARK, 1)[1].strip())
    return found


def per_student(assignment: Assignment) -> Iterator[list[Submission]]:
    """Each student's submissions of the assignment (attempt order), fetched in batches."""
    query = (select(Submission).where(Submission.assignment_id == assignment.id)
             .order_by(Submission.user_id, Submission.attempt).options(defer(Submission.code))
             .execution_options(yield_per=BATCH))
    current: list[Submission] = []
    for submission in db.session.scalars(query):
        if current and current[0].user_id != submission.user_id:
            yield current
            current = []
        current.append(submission)
    if current:
        yield current


def _percentile(values: Sequence[float], q: float) -> float | None:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else None


def latency(assignment: Assignment) -> Latency:
    rows = db.session.execute(
        select(Submission.enqueued_at, Submission.started_at, Submission.graded_at)
        .where(Submission.assignment_id == assignment.id, Submission.status == SubmissionStatus.GRADED,
               Submission.graded_at.is_not(None), Submission.enqueued_at.is_not(None))
        .order_by(Submission.graded_at.desc()).limit(LATENCY_SAMPLE)).all()
    total = [(graded - queued).total_seconds() for queued, _, graded in rows]
    wait = [(started - queued).total_seconds() for queued, started, _ in rows if started is not None]
    return Latency(len(total), _percentile(total, 50), _percentile(total, 95), _percentile(wait, 50))


def queue_now(assignment: Assignment) -> Queue:
    counts = dict(db.session.execute(
        select(Submission.status, func.count(Submission.id))
        .where(Submission.assignment_id == assignment.id,
               Submission.status.in_([SubmissionStatus.QUEUED, SubmissionStatus.RUNNING]))
        .group_by(Submission.status)).all())
    return Queue(counts.get(SubmissionStatus.QUEUED, 0), counts.get(SubmissionStatus.RUNNING, 0),
                 jobs.queue_depths().get(GRADING_QUEUE))


def timeline(assignment: Assignment) -> dict[str, Any] | None:
    """Submissions per bin around the due date (3 days before to a day after), or over the
    whole span of submissions when there is no due date."""
    times = [t.timestamp() for t in db.session.scalars(
        select(Submission.submitted_at).where(Submission.assignment_id == assignment.id))]
    due = assignment.due
    if due is not None:
        start, end = (due - TIMELINE_BEFORE).timestamp(), (due + TIMELINE_AFTER).timestamp()
        if times:
            # Stretch the window to include every submission, within a week on either side.
            start = max(min(start, min(times)), due.timestamp() - 7 * 86400)
            end = min(max(end, max(times) + 1), due.timestamp() + 7 * 86400)
    elif times:
        # No due date: the span of the submissions, from the hour of the first, a day at least
        # (a single bin would leave the chart without a time axis to speak of).
        start = min(times) - min(times) % 3600
        end = max(max(times) + 1, start + 86400)
    else:
        return None
    hours = (end - start) / 3600
    step = 3600 * max(1, int(np.ceil(hours / MAX_TIMELINE_BINS)))
    edges = np.arange(start, end + step, step)
    counts, _ = np.histogram(np.asarray(times, dtype=float), bins=edges)
    moments = [dt.datetime.fromtimestamp(float(e), dt.UTC) for e in edges[:-1]]
    marks = [(due, "Due")] if due is not None else []
    per = "hour" if step == 3600 else f"{step // 3600} hours"
    return series_chart(moments, {f"Submissions per {per}": [float(c) for c in counts]}, marks=marks,
                        y_label=f"Submissions per {per}")


def _shares(counter: Counter[str], of: int, details: dict[str, str], limit: int = 8) -> list[Share]:
    return [Share(label, count, of, details.get(label, "")) for label, count in counter.most_common(limit)]


def _class_figures(assignment: Assignment) -> dict[str, Any]:
    """Everything on the dashboard that comes from the submissions' results (the slow part)."""
    students = db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.course_id == assignment.course_id, Enrolment.role == Role.STUDENT)) or 0
    hints = catalogue_hints(assignment)
    stats = {p["id"]: ProblemStats(p["id"], p.get("title") or p["id"], float(p.get("points") or 0))
             for p in assignment.problems}
    scores: list[float] = []
    submitted = graded = 0
    enrolled = set(db.session.scalars(select(Enrolment.user_id).where(
        Enrolment.course_id == assignment.course_id, Enrolment.role == Role.STUDENT)))
    for mine in per_student(assignment):
        if mine[0].user_id not in enrolled:
            continue  # staff trying the assignment out
        submitted += 1
        ever_codes: dict[str, set[str]] = {}
        ever_mistakes: dict[str, set[str]] = {}
        for submission in mine:
            if submission.status is not SubmissionStatus.GRADED:
                continue
            for problem in (submission.result or {}).get("problems", []):
                pid = problem.get("id")
                if pid not in stats:
                    continue
                if problem.get("diagnosis"):
                    ever_codes.setdefault(pid, set()).add(problem["diagnosis"])
                ever_mistakes.setdefault(pid, set()).update(mistakes_of(problem, hints.get(pid, ())))
        for pid, codes in ever_codes.items():
            stats[pid].diagnoses_ever.update(codes)
        for pid, names in ever_mistakes.items():
            stats[pid].mistakes_ever.update(names)
        counted = results.counted(mine, assignment.score_policy)
        if counted is None:
            continue
        graded += 1
        if counted.effective_score is not None:
            scores.append(counted.effective_score)
        for problem in (counted.result or {}).get("problems", []):
            item = stats.get(problem.get("id"))
            if item is None:
                continue
            item.passed += bool(problem.get("passed"))
            for check in problem.get("checks", []):
                tally = item.checks.setdefault(str(check.get("name")), [0, 0])
                tally[0] += bool(check.get("passed"))
                tally[1] += 1
            if problem.get("diagnosis"):
                item.diagnoses_now[problem["diagnosis"]] += 1
            item.mistakes_now.update(mistakes_of(problem, hints.get(item.id, ())))
    problems = list(stats.values())
    names = {pid: dict(pairs) for pid, pairs in hints.items()}
    return dict(
        students=students, submitted=submitted, graded=graded,
        mean=float(np.mean(scores)) if scores else None, median=float(np.median(scores)) if scores else None,
        histogram=histogram_chart(scores, bins=10, value_range=(0.0, float(assignment.max_score or 1.0)),
                                  x_label="Score", y_label="Students"),
        pass_rates=bar_chart([p.title for p in problems],
                             [100.0 * p.passed / graded if graded else 0.0 for p in problems],
                             x_label="Problem", y_label="Passed"),
        problems=problems,
        mistakes={p.id: _shares(p.mistakes_ever, submitted, names.get(p.id, {})) for p in problems},
        diagnoses={p.id: _shares(p.diagnoses_ever, submitted, {}) for p in problems},
        timeline=timeline(assignment),
    )


_cache: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = {}
_cache_lock = threading.Lock()
CACHE_SIZE = 64  # assignments per web process


def _version(assignment: Assignment) -> tuple[Any, ...]:
    """What the figures depend on: any new, regraded or overridden submission moves the count or
    the latest updated_at (every UPDATE bumps it), an enrolment the student count, and a changed
    assignment file or score policy its digest or policy."""
    count, latest = db.session.execute(select(func.count(Submission.id), func.max(Submission.updated_at))
                                       .where(Submission.assignment_id == assignment.id)).one()
    students = db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.course_id == assignment.course_id, Enrolment.role == Role.STUDENT))
    return (count, latest, students, assignment.source_sha256, assignment.score_policy)


def dashboard(assignment: Assignment) -> Dashboard:
    """The dashboard. The figures from the results are computed once per change of the
    assignment's submissions (reading every result document is the slow part: about a
    millisecond per 25 KB document); latency and the queue are read every time."""
    version = _version(assignment)
    with _cache_lock:
        cached = _cache.get(assignment.id)
    if cached is not None and cached[0] == version:
        figures = cached[1]
    else:
        figures = _class_figures(assignment)
        with _cache_lock:
            if len(_cache) >= CACHE_SIZE:
                _cache.pop(next(iter(_cache)))
            _cache[assignment.id] = (version, figures)
    return Dashboard(assignment=assignment, **figures, latency=latency(assignment), queue=queue_now(assignment))
