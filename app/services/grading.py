"""Grading: claim a submission, run the engine, store the result once (or a system error),
and the regrades and recovery around it.

Every transition is one conditional UPDATE, so two jobs for the same submission (a re-sent
message, a redelivery after a lost worker, a regrade) can never both store a result: only
the run that holds the claim (`run_id`) may write, and it writes once.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app
from sqlalchemy import and_, bindparam, exists, func, or_, select, update
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError

from app.config import GRADING_QUEUE, TASK_SOFT_TIME_LIMIT
from app.extensions import db
from app.models import (
    Assignment,
    Course,
    EndpointState,
    Extension,
    LatePolicy,
    ScorePolicy,
    Submission,
    SubmissionStatus,
    User,
    WebhookEndpoint,
    WorkerHeartbeat,
    utcnow,
)
from app.services import assignments, deadlines, jobs, webhook_outbox
from app.services.webhook_events import GRADE_UPDATED, SUBMISSION_GRADED, SUBMISSION_GRADING_FAILED
from graders import late
from graders.assignment import AssignmentError
from graders.engine import default_runner, grade_source

log = logging.getLogger(__name__)
T = TypeVar("T")

# The database may be restarting; a computed result is worth waiting for rather than regrading.
DB_RETRY_DELAYS = (0.2, 0.5, 1, 2, 3, 5, 5, 10, 10, 15, 15)

QUEUED = SubmissionStatus.QUEUED
RUNNING = SubmissionStatus.RUNNING
GRADED = SubmissionStatus.GRADED
ERROR = SubmissionStatus.ERROR


@dataclass(frozen=True)
class LateTerms:
    """What storing the result needs, read with the claim. The store uses them only if they are
    still the same when it writes (STORE_RESULT_ALONE checks), so a change of due date, late
    policy or extension during the grading is never missed."""

    submitted_at: dt.datetime
    due: dt.datetime | None
    policy: LatePolicy
    per_day: float
    extension_due: dt.datetime | None
    course_id: int
    endpoints: bool  # the course had an enabled webhook endpoint when the claim was made


@dataclass(frozen=True)
class Claim:
    """What a grading run needs, read in the same statement that claims the row."""

    submission_id: int
    run_id: str
    code: str
    course: str
    assignment: str
    terms: LateTerms | None = None


# The per-submission statements are built once: building and hashing a statement costs the
# worker more CPU than PostgreSQL spends running it, and SQLAlchemy memoises a built
# statement's cache key. Core statements on the table skip the ORM's per-call bookkeeping.
SUBMISSIONS = Submission.__table__
ASSIGNMENTS = Assignment.__table__
COURSES = Course.__table__


def _of_assignment(column: Any) -> Any:
    # Scalar subqueries rather than UPDATE ... FROM: SQLite's RETURNING cannot name the
    # columns of a FROM table.
    return select(column).where(ASSIGNMENTS.c.id == SUBMISSIONS.c.assignment_id).scalar_subquery()


def _course_code() -> Any:
    # Correlated to the updated row explicitly: nested one level deeper, it would otherwise
    # correlate to `courses` only and put a second `submissions` in its FROM.
    course_id = select(ASSIGNMENTS.c.course_id).where(ASSIGNMENTS.c.id == SUBMISSIONS.c.assignment_id)
    return select(COURSES.c.code).where(COURSES.c.id == course_id.correlate(SUBMISSIONS).scalar_subquery()) \
        .scalar_subquery()


EXTENSIONS = Extension.__table__
ENDPOINTS = WebhookEndpoint.__table__


def _extension_due() -> Any:
    return select(EXTENSIONS.c.due).where(EXTENSIONS.c.assignment_id == SUBMISSIONS.c.assignment_id,
                                          EXTENSIONS.c.user_id == SUBMISSIONS.c.user_id).scalar_subquery()


def _claimed_row(column: Any) -> Any:
    # By the bound id, not correlated: SQLite's RETURNING names columns without their table,
    # and `extensions.assignment_id = submissions.assignment_id` would become
    # `assignment_id = assignment_id`, true of every extension.
    return select(column).where(SUBMISSIONS.c.id == bindparam("claim_id")).correlate(None).scalar_subquery()


def _course_has_endpoints(course_id: Any) -> Any:
    return exists().where(ENDPOINTS.c.course_id == course_id, ENDPOINTS.c.state == EndpointState.ENABLED)


# Claims the row and reads what grading and the store need, in one statement.
CLAIM = (
    update(SUBMISSIONS)
    .where(SUBMISSIONS.c.id == bindparam("claim_id"),
           or_(SUBMISSIONS.c.status == QUEUED,
               and_(SUBMISSIONS.c.status == RUNNING, SUBMISSIONS.c.task_id == bindparam("claim_task"))))
    .values(status=RUNNING, started_at=bindparam("claim_now"), task_id=bindparam("claim_task"),
            run_id=bindparam("claim_run"), worker=bindparam("claim_worker"))
    .returning(SUBMISSIONS.c.code, _course_code(), _of_assignment(ASSIGNMENTS.c.name), SUBMISSIONS.c.submitted_at,
               _of_assignment(ASSIGNMENTS.c.due), _of_assignment(ASSIGNMENTS.c.late_policy),
               _of_assignment(ASSIGNMENTS.c.late_penalty_per_day),
               select(EXTENSIONS.c.due).where(EXTENSIONS.c.assignment_id == _claimed_row(SUBMISSIONS.c.assignment_id),
                                              EXTENSIONS.c.user_id == _claimed_row(SUBMISSIONS.c.user_id))
               .scalar_subquery(),
               _of_assignment(ASSIGNMENTS.c.course_id),
               _course_has_endpoints(select(ASSIGNMENTS.c.course_id).where(ASSIGNMENTS.c.id == SUBMISSIONS.c.assignment_id)
                                     .correlate(SUBMISSIONS).scalar_subquery()).label("endpoints")))

# A claim lost in a database crash is harmless: the row is still `queued`, this run's store then
# fails its run_id check, and the sweeper re-sends the job. So on PostgreSQL the claim does not
# wait for its WAL flush (about a millisecond); the result (STORE_RESULT) does. set_config(...,
# true) is SET LOCAL made inside the statement, whose own transaction it is.
CLAIM_ASYNC = CLAIM.returning(func.set_config("synchronous_commit", "off", True))

# What the late policy needs, read in the transaction that stores the result, so a regrade
# applies the policy and the student's extension as they are when it is stored.
LATE_TERMS = (
    select(SUBMISSIONS.c.submitted_at, ASSIGNMENTS.c.due, ASSIGNMENTS.c.late_policy, ASSIGNMENTS.c.late_penalty_per_day,
           EXTENSIONS.c.due, ASSIGNMENTS.c.course_id, SUBMISSIONS.c.assignment_id, SUBMISSIONS.c.user_id,
           SUBMISSIONS.c.grade_count, SUBMISSIONS.c.score, ASSIGNMENTS.c.score_policy)
    .join(ASSIGNMENTS, ASSIGNMENTS.c.id == SUBMISSIONS.c.assignment_id)
    .outerjoin(EXTENSIONS, and_(EXTENSIONS.c.assignment_id == SUBMISSIONS.c.assignment_id,
                                EXTENSIONS.c.user_id == SUBMISSIONS.c.user_id))
    .where(SUBMISSIONS.c.id == bindparam("claim_id")))

# Only the run that holds the claim may write, and only once.
_HOLDS_CLAIM = and_(SUBMISSIONS.c.id == bindparam("claim_id"), SUBMISSIONS.c.run_id == bindparam("claim_run"),
                    SUBMISSIONS.c.status == RUNNING)
STORE_RESULT = (
    update(SUBMISSIONS).where(_HOLDS_CLAIM)
    .values(status=GRADED, graded_at=bindparam("store_now"), score=bindparam("store_score"),
            raw_score=bindparam("store_raw"), late_days=bindparam("store_late_days"), max_score=bindparam("store_max"),
            result=bindparam("store_result", type_=SUBMISSIONS.c.result.type), engine_version=bindparam("store_engine"),
            spec_digest=bindparam("store_digest"), error=None, grade_count=SUBMISSIONS.c.grade_count + 1))
# The common case in one statement, committed alone: the late terms read with the claim are
# unchanged and the course has no enabled webhook endpoint, so there is no outbox row to write
# in the same transaction. If either condition fails the row is left alone and the result is
# stored by the transaction of store_result's general path, which reads everything again.
_ASSIGNMENT_TERMS_UNCHANGED = exists().where(
    ASSIGNMENTS.c.id == SUBMISSIONS.c.assignment_id,
    ASSIGNMENTS.c.due.is_not_distinct_from(bindparam("terms_due", type_=ASSIGNMENTS.c.due.type)),
    ASSIGNMENTS.c.late_policy == bindparam("terms_policy", type_=ASSIGNMENTS.c.late_policy.type),
    ASSIGNMENTS.c.late_penalty_per_day == bindparam("terms_per_day", type_=ASSIGNMENTS.c.late_penalty_per_day.type))
STORE_RESULT_ALONE = STORE_RESULT.where(
    _ASSIGNMENT_TERMS_UNCHANGED,
    _extension_due().is_not_distinct_from(bindparam("terms_extension", type_=EXTENSIONS.c.due.type)),
    ~_course_has_endpoints(bindparam("terms_course")))
STORE_ERROR = (
    update(SUBMISSIONS).where(_HOLDS_CLAIM)
    .values(status=ERROR, errored_at=bindparam("store_now"), error=bindparam("store_error")))


def _alone(statement: Any, parameters: dict[str, Any], read: Callable[[Any], T]) -> T:
    """Run one statement as its own transaction (autocommit) and `read` its result: a statement
    that needs no other in its transaction costs one round trip, not three (BEGIN, it, COMMIT).

    On a pooled connection of its own, not the session's: the session's transaction
    bookkeeping around a single statement cost the worker more CPU than the statement itself,
    twice per graded job. A lost connection is discarded by the pool and retried by
    with_db_retry."""
    session = db.session()
    if session.in_transaction():
        session.commit()  # what the caller did before stays its own transaction, as it was
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return read(connection.execute(statement, parameters))


def claim(submission_id: int, task_id: str, worker: str) -> Claim | None:
    """Move a queued submission to running for this job; None if there is nothing to do.

    The same task id may take over its own `running` claim: that is a retry of this job or
    its redelivery after the worker process died, never a second, concurrent job."""
    run_id = uuid.uuid4().hex
    statement = CLAIM_ASYNC if db.session.get_bind().dialect.name == "postgresql" else CLAIM
    claimed = _alone(statement, {"claim_id": submission_id, "claim_task": task_id, "claim_now": utcnow(),
                                 "claim_run": run_id, "claim_worker": worker}, lambda result: result.first())
    if claimed is None:
        return None
    code, course, name, submitted_at, due, policy, per_day, extension_due, course_id, endpoints = claimed[:10]
    terms = LateTerms(submitted_at, due, LatePolicy(policy), per_day, extension_due, course_id, bool(endpoints))
    return Claim(submission_id, run_id, code, course, name, terms)


def store_result(claim: Claim, document: dict[str, Any], spec_digest: str | None = None) -> bool:
    """Store the graded result, with the late policy applied to it; False if this run lost
    its claim (regrade or recovery).

    `document` is grade_source's, which is strict JSON already (graders.scoring.result_document).
    The stored document says what the row says: `raw_score`, the `late` penalty and the final
    `score`. `spec_digest` names the assignment file that graded it."""
    terms = claim.terms
    if terms is not None and not terms.endpoints:
        lateness = deadlines.assess(terms.policy, terms.per_day, terms.due, terms.extension_due, terms.submitted_at)
        scored = late.apply(document, lateness)
        stored = _alone(STORE_RESULT_ALONE, {
            **_stored_values(claim, scored, lateness, spec_digest), "terms_due": terms.due,
            "terms_policy": terms.policy, "terms_per_day": terms.per_day, "terms_extension": terms.extension_due,
            "terms_course": terms.course_id}, lambda result: result.rowcount)
        if stored == 1:
            return True
    return _store_in_transaction(claim, document, spec_digest)


def _stored_values(claim: Claim, document: dict[str, Any], lateness: late.Lateness,
                   spec_digest: str | None) -> dict[str, Any]:
    return {"claim_id": claim.submission_id, "claim_run": claim.run_id, "store_now": utcnow(),
            "store_score": document["score"], "store_raw": document["raw_score"], "store_late_days": lateness.days_late,
            "store_max": float(document["max_score"]), "store_result": document,
            "store_engine": str(document.get("engine_version")), "store_digest": spec_digest}


def _store_in_transaction(claim: Claim, document: dict[str, Any], spec_digest: str | None) -> bool:
    """The general path: the late terms read again, the result and its outbox rows (the
    submission event; grade.updated when a regrade changed the score that counts) in one
    transaction."""
    terms = db.session.execute(LATE_TERMS, {"claim_id": claim.submission_id}).one()
    submitted_at, due, policy, per_day, extension_due = terms[:5]
    lateness = deadlines.assess(LatePolicy(policy), per_day, due, extension_due, submitted_at)
    document = late.apply(document, lateness)
    regrade = _RegradeWatch.start(claim.submission_id, terms)
    result = db.session.execute(STORE_RESULT, _stored_values(claim, document, lateness, spec_digest))
    stored = result.rowcount == 1
    if stored:
        _announce(claim.submission_id, terms.course_id, SUBMISSION_GRADED, regrade)
    db.session.commit()
    return stored


@dataclass(frozen=True)
class _RegradeWatch:
    """The score that counted before a regrade stored its outcome, to tell whether it changed."""

    assignment_id: int
    user_id: int
    before: tuple[int | None, float | None]
    endpoints: list[Any]

    @classmethod
    def start(cls, submission_id: int, terms: Any) -> _RegradeWatch | None:
        if not terms.grade_count:
            return None  # a first grading: submission.graded says it all
        endpoints = webhook_outbox.subscribed(terms.course_id, GRADE_UPDATED)
        if not endpoints:
            return None
        rows = webhook_outbox.as_before_regrade(webhook_outbox.standings(terms.assignment_id, terms.user_id),
                                                submission_id, terms.score)
        policy = ScorePolicy(terms.score_policy)
        return cls(terms.assignment_id, terms.user_id, webhook_outbox.counted_score(rows, policy), endpoints)


def _announce(submission_id: int, course_id: int, event_type: str, regrade: _RegradeWatch | None) -> None:
    """The outbox rows of a stored outcome, in its transaction: the submission event, and
    grade.updated when a regrade changed the score that counts."""
    webhook_outbox.submission_event(event_type, submission_id, webhook_outbox.subscribed(course_id, event_type))
    if regrade is not None:
        webhook_outbox.grade_updated(regrade.assignment_id, regrade.user_id, regrade.before, "regrade",
                                     regrade.endpoints)


def store_error(claim: Claim, message: str) -> bool:
    """Mark a system failure (never a zero: the student's attempt does not count)."""
    terms = db.session.execute(LATE_TERMS, {"claim_id": claim.submission_id}).one()
    regrade = _RegradeWatch.start(claim.submission_id, terms)
    result = db.session.execute(STORE_ERROR, {"claim_id": claim.submission_id, "claim_run": claim.run_id,
                                              "store_now": utcnow(), "store_error": message[:4000]})
    stored = result.rowcount == 1
    if stored:
        _announce(claim.submission_id, terms.course_id, SUBMISSION_GRADING_FAILED, regrade)
    db.session.commit()
    return stored


def with_db_retry(action: Callable[[], T]) -> T:
    """Run a short database action, retrying over connection failures with back-off."""
    for delay in DB_RETRY_DELAYS:
        try:
            return action()
        except DBAPIError as exc:
            if not (isinstance(exc, OperationalError) or exc.connection_invalidated):
                raise
            db.session.rollback()
            log.warning("database unavailable (%s); retrying in %s s", str(exc).splitlines()[0][:120], delay)
            time.sleep(delay)
    return action()


def grade(submission_id: int, task_id: str, worker: str) -> str:
    """Grade one submission in the sandbox and store the result once: the whole job of a
    grading worker. Returns what happened: graded, superseded (a regrade or recovery took
    the claim meanwhile), skipped (nothing to do) or error (a system failure, stored).

    Raises OperationalError only when the database stays unreachable for every retry: the
    task is retried then, and reclaims its own run by task id."""
    claimed = with_db_retry(lambda: claim(submission_id, task_id, worker))
    if claimed is None:
        return "skipped"  # graded already, being graded by another job, or deleted
    try:
        loaded = assignments.load_spec(claimed.course, claimed.assignment)
        # default_runner() is the sandbox (one warm fork-server per worker process): student
        # code never runs in this trusted process.
        document = grade_source(claimed.code, loaded.spec, runner=default_runner())
    except SoftTimeLimitExceeded:
        with_db_retry(lambda: store_error(claimed, f"grading took longer than {TASK_SOFT_TIME_LIMIT} s"))
        return "error"
    except AssignmentError as exc:
        problem = f"assignment file problem: {exc}"
        with_db_retry(lambda: store_error(claimed, problem))
        return "error"
    except Exception as exc:  # noqa: BLE001 - an engine failure is a system error, not a zero
        log.exception("grading submission %s failed", submission_id)
        message = f"internal grading error: {type(exc).__name__}: {exc}"
        with_db_retry(lambda: store_error(claimed, message))
        return "error"
    try:
        stored = with_db_retry(lambda: store_result(claimed, document, loaded.digest))
    except OperationalError:
        raise
    except (StatementError, ValueError) as exc:
        # Not transient (a constraint, or a document that is not strict JSON): retrying would
        # fail the same way, and leaving the row `running` would loop.
        db.session.rollback()
        log.exception("could not store the result of submission %s", submission_id)
        failure = f"could not store the result: {str(getattr(exc, 'orig', exc)).splitlines()[0][:300]}"
        with_db_retry(lambda: store_error(claimed, failure))
        return "error"
    return "graded" if stored else "superseded"


def requeue(submissions: list[Submission], *, regrade: bool = False) -> int:
    """Put submissions back to queued (dropping any running claim) and send their jobs after commit."""
    now = utcnow()
    for submission in submissions:
        submission.status = QUEUED
        submission.task_id = submission.run_id = submission.worker = None
        submission.enqueued_at = now
        if regrade:
            submission.regrade_requested_at = now
            submission.system_retries = 0  # staff asked: the automatic retries start over
        jobs.enqueue_grading(db.session, submission.id)
    db.session.commit()
    return len(submissions)


def regrade_submission(submission_id: int) -> Submission | None:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        return None
    requeue([submission], regrade=True)
    return submission


def regrade_student(assignment: Assignment, user: User) -> int:
    """Grade one student's submissions of an assignment again (after their due date changed)."""
    rows = list(db.session.scalars(select(Submission).where(Submission.assignment_id == assignment.id,
                                                            Submission.user_id == user.id).order_by(Submission.id)))
    return requeue(rows, regrade=True)


def regrade_assignment(assignment: Assignment) -> int:
    rows = list(db.session.scalars(select(Submission).where(Submission.assignment_id == assignment.id)
                                   .order_by(Submission.id)))
    return requeue(rows, regrade=True)


@dataclass(frozen=True)
class SweepReport:
    resent_queued: int
    rescued_running: int
    queue_depth: int | None
    retried_errors: int = 0


def retries_left(submission: Submission) -> int:
    """How many more times the sweeper will grade a failed submission again by itself."""
    return max(0, len(current_app.config["ERROR_RETRY_DELAYS"]) - submission.system_retries)


def _retry_errors(now: dt.datetime) -> int:
    """Grade again the submissions whose grading failed for a system reason (a crashed engine, an
    assignment file being fixed, a store that failed), each after its delay, a bounded number of
    times: a student is told such an attempt will be retried, and it must be."""
    delays = current_app.config["ERROR_RETRY_DELAYS"]
    retried = 0
    for number, delay in enumerate(delays):
        due = db.session.execute(
            select(Submission.id, Submission.errored_at)
            .where(Submission.status == ERROR, Submission.system_retries == number,
                   Submission.errored_at < now - dt.timedelta(seconds=delay))
            .order_by(Submission.errored_at, Submission.id).limit(500)).all()
        for submission_id, errored_at in due:
            if _resend(submission_id, Submission.status == ERROR, Submission.errored_at == errored_at,
                       Submission.system_retries == number, retry=True):
                log.warning("submission %s: grading failed at %s; grading it again (retry %d of %d)",
                            submission_id, errored_at, number + 1, len(delays))
                retried += 1
    db.session.commit()
    return retried


def _resend(submission_id: int, *conditions: Any, retry: bool = False) -> bool:
    """Back to queued and re-sent, only if the row is still as the sweeper saw it: a result
    stored in the meantime must not be thrown away and graded again."""
    values: dict[str, Any] = {"status": QUEUED, "task_id": None, "run_id": None, "worker": None,
                              "enqueued_at": utcnow()}
    if retry:
        values["system_retries"] = Submission.system_retries + 1
    reset = db.session.execute(
        update(Submission).where(Submission.id == submission_id, *conditions)
        .values(**values).execution_options(synchronize_session=False))
    if reset.rowcount == 1:
        jobs.enqueue_grading(db.session, submission_id)
        return True
    return False


def sweep(now: dt.datetime | None = None) -> SweepReport:
    """Re-send the jobs of submissions the broker lost, and rescue those whose worker died.

    - running: the claiming worker stopped heart-beating for WORKER_STALE seconds, or the run
      is older than RUNNING_LIMIT (above the task's hard time limit).
    - error: a system failure is graded again after each of ERROR_RETRY_DELAYS (_retry_errors).
    - queued: if the database holds more queued submissions than the grading queue holds
      messages, messages were lost: the oldest queued rows past QUEUED_GRACE are re-sent (at
      most as many as are missing, so a long but healthy backlog is not duplicated)."""
    config = current_app.config
    now = now or utcnow()
    silent_since = now - dt.timedelta(seconds=config["WORKER_STALE"])
    too_old = now - dt.timedelta(seconds=config["RUNNING_LIMIT"])
    live = set(db.session.scalars(select(WorkerHeartbeat.instance).where(WorkerHeartbeat.last_seen >= silent_since)))
    rescued = 0
    for submission in db.session.scalars(select(Submission).where(Submission.status == RUNNING)).all():
        started = submission.started_at
        if started is None or not (started < too_old or (submission.worker not in live and started < silent_since)):
            continue
        if _resend(submission.id, Submission.status == RUNNING, Submission.run_id == submission.run_id):
            log.warning("submission %s: worker %s is gone; grading it again", submission.id, submission.worker)
            rescued += 1
    db.session.commit()

    queued_total = db.session.scalar(select(db.func.count(Submission.id)).where(Submission.status == QUEUED)) or 0
    depth = jobs.queue_depths().get(GRADING_QUEUE)
    missing = queued_total if depth is None else max(0, queued_total - depth)
    resent = 0
    if missing:
        stale = db.session.execute(
            select(Submission.id, Submission.enqueued_at)
            .where(Submission.status == QUEUED, Submission.enqueued_at < now - dt.timedelta(seconds=config["QUEUED_GRACE"]))
            .order_by(Submission.enqueued_at, Submission.id).limit(missing)).all()
        for submission_id, enqueued_at in stale:
            if _resend(submission_id, Submission.status == QUEUED, Submission.enqueued_at == enqueued_at):
                log.warning("submission %s: queued since %s with no job in the broker; re-sending",
                            submission_id, enqueued_at)
                resent += 1
        db.session.commit()
    return SweepReport(resent, rescued, depth, _retry_errors(now))


def status_counts() -> dict[SubmissionStatus, int]:
    """Submissions in each state, every state named (zero included)."""
    counts = dict(db.session.execute(select(Submission.status, db.func.count(Submission.id))
                                     .group_by(Submission.status)).all())
    return {state: counts.get(state, 0) for state in SubmissionStatus}

