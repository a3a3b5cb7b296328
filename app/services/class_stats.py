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


@dataclass(frozen=True)
class ProblemSummary:
    """What the dashboard keeps of one problem of one graded result document."""

    passed: bool
    diagnosis: str | None
    mistakes: frozenset[str]
    checks: tuple[str, ...]  # check names, one tuple shared by every summary with the same checks
    passed_mask: int  # bit i set: checks[i] passed


@dataclass(frozen=True)
class Attempt:
    """A submission as the counting rule sees it (results.counted reads status, attempt and the scores)."""

    id: int
    user_id: int
    attempt: int
    status: SubmissionStatus
    score: float | None
    override_score: float | None
    updated_at: dt.datetime

    @property
    def effective_score(self) -> float | None:
        return self.override_score if self.override_score is not None else self.score


def summarise(document: dict[str, Any] | None, hints: dict[str, list[tuple[str, str]]],
              names: dict[tuple[str, ...], tuple[str, ...]]) -> dict[str, ProblemSummary]:
    summary = {}
    for problem in (document or {}).get("problems", []):
        checks = problem.get("checks", [])
        key = tuple(str(c.get("name")) for c in checks)
        shared = names.setdefault(key, key)
        mask = sum(1 << i for i, c in enumerate(checks) if c.get("passed"))
        summary[str(problem.get("id"))] = ProblemSummary(
            bool(problem.get("passed")), problem.get("diagnosis") or None,
            frozenset(mistakes_of(problem, hints.get(str(problem.get("id")), ()))), shared, mask)
    return summary


# Per assignment (the file digest it was read with, and per submission its updated_at and summary):
# a change re-reads only the documents of the submissions that changed.
_summaries: dict[int, tuple[str, dict[int, tuple[dt.datetime, dict[str, ProblemSummary]]]]] = {}
_names: dict[tuple[str, ...], tuple[str, ...]] = {}
_cache_lock = threading.Lock()
SUMMARY_ASSIGNMENTS = 16


def attempts_with_summaries(assignment: Assignment, hints: dict[str, list[tuple[str, str]]]) \
        -> tuple[list[Attempt], dict[int, dict[str, ProblemSummary]]]:
    """Every submission of the assignment (by student, then attempt) and the summary of each graded
    one, reading only the result documents that are new or changed since the last call."""
    attempts = [Attempt(*row) for row in db.session.execute(
        select(Submission.id, Submission.user_id, Submission.attempt, Submission.status, Submission.score,
               Submission.override_score, Submission.updated_at)
        .where(Submission.assignment_id == assignment.id).order_by(Submission.user_id, Submission.attempt))]
    with _cache_lock:
        digest, known = _summaries.get(assignment.id, ("", {}))
        if digest != assignment.source_sha256:
            known = {}
    graded = {a.id: a for a in attempts if a.status is SubmissionStatus.GRADED}
    stale = [i for i, a in graded.items() if i not in known or known[i][0] != a.updated_at]
    fresh = {i: entry for i, entry in known.items() if i in graded}
    for start in range(0, len(stale), BATCH):
        chunk = stale[start:start + BATCH]
        for submission_id, document in db.session.execute(
                select(Submission.id, Submission.result).where(Submission.id.in_(chunk))):
            fresh[submission_id] = (graded[submission_id].updated_at, summarise(document, hints, _names))
    with _cache_lock:
        _summaries.pop(assignment.id, None)
        while len(_summaries) >= SUMMARY_ASSIGNMENTS:
            _summaries.pop(next(iter(_summaries)))
        _summaries[assignment.id] = (assignment.source_sha256, fresh)
    return attempts, {i: entry[1] for i, entry in fresh.items()}


def per_student(attempts: list[Attempt]) -> Iterator[list[Attempt]]:
    """The attempts grouped by student (they come sorted by student, then attempt)."""
    current: list[Attempt] = []
    for attempt in attempts:
        if current and current[0].user_id != attempt.user_id:
            yield current
            current = []
        current.append(attempt)
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
    """Submissions per bin around the due date (3 days before to a day after, stretched to every
    submission), or over the whole span of submissions when there is no due date."""
    times = [t.timestamp() for t in db.session.scalars(
        select(Submission.submitted_at).where(Submission.assignment_id == assignment.id))]
    due = assignment.due
    if due is not None:
        start, end = (due - TIMELINE_BEFORE).timestamp(), (due + TIMELINE_AFTER).timestamp()
        if times:
            # Stretch the window to include every submission: an assignment handed out a week or
            # more before its due date (the demo's hw1) would otherwise chart none of its early
            # submissions. The bins widen to keep their number under MAX_TIMELINE_BINS.
            start = min(start, min(times))
            end = max(end, max(times) + 1)
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
    attempts, summaries = attempts_with_summaries(assignment, hints)
    for mine in per_student(attempts):
        if mine[0].user_id not in enrolled:
            continue  # staff trying the assignment out
        submitted += 1
        ever_codes: dict[str, set[str]] = {}
        ever_mistakes: dict[str, set[str]] = {}
        for attempt in mine:
            for pid, problem in summaries.get(attempt.id, {}).items():
                if pid not in stats:
                    continue
                if problem.diagnosis:
                    ever_codes.setdefault(pid, set()).add(problem.diagnosis)
                ever_mistakes.setdefault(pid, set()).update(problem.mistakes)
        for pid, codes in ever_codes.items():
            stats[pid].diagnoses_ever.update(codes)
        for pid, found in ever_mistakes.items():
            stats[pid].mistakes_ever.update(found)
        counted = results.counted(mine, assignment.score_policy)  # type: ignore[arg-type]
        if counted is None:
            continue
        graded += 1
        if counted.effective_score is not None:
            scores.append(counted.effective_score)
        for pid, problem in summaries.get(counted.id, {}).items():
            item = stats.get(pid)
            if item is None:
                continue
            item.passed += problem.passed
            for index, name in enumerate(problem.checks):
                tally = item.checks.setdefault(name, [0, 0])
                tally[0] += bool(problem.passed_mask >> index & 1)
                tally[1] += 1
            if problem.diagnosis:
                item.diagnoses_now[problem.diagnosis] += 1
            item.mistakes_now.update(problem.mistakes)
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


@dataclass(frozen=True)
class Activity:
    """One assignment at a glance, for the course overview."""

    submitted: int  # students with at least one submission
    waiting: int  # submissions queued or running now


def course_activity(course_id: int) -> tuple[int, dict[int, Activity]]:
    """The course's number of students, and per assignment who submitted and what waits (two queries)."""
    students = db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.course_id == course_id, Enrolment.role == Role.STUDENT)) or 0
    waiting = Submission.status.in_([SubmissionStatus.QUEUED, SubmissionStatus.RUNNING])
    rows = db.session.execute(
        select(Submission.assignment_id, func.count(func.distinct(Submission.user_id)),
               func.count(Submission.id).filter(waiting))
        .join(Assignment, Assignment.id == Submission.assignment_id)
        .join(Enrolment, (Enrolment.user_id == Submission.user_id) & (Enrolment.course_id == Assignment.course_id))
        .where(Assignment.course_id == course_id, Enrolment.role == Role.STUDENT)
        .group_by(Submission.assignment_id)).all()
    return students, {assignment_id: Activity(submitted, queued) for assignment_id, submitted, queued in rows}
