"""Celery tasks. They take ids, never objects; they are thin: load the row, call the engine,
store the result (warehouse's `warehouse/packaging/tasks.py` style)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError

from app import grading
from app.assignment_sync import assignments_dir, load_spec
from app.config import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT
from app.extensions import db
from graders.assignment import Assignment as AssignmentSpec
from graders.assignment import AssignmentError
from graders.engine import default_runner, grade_source
from worker import heartbeat

log = logging.getLogger(__name__)
T = TypeVar("T")

# The database may be restarting; a computed result is worth waiting for rather than regrading.
DB_RETRY_DELAYS = (0.2, 0.5, 1, 2, 3, 5, 5, 10, 10, 15, 15)
_SPECS: dict[str, tuple[float, AssignmentSpec]] = {}


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


def assignment_spec(name: str) -> AssignmentSpec:
    """The assignment file, re-read when it changes on disk (workers run for weeks)."""
    path = assignments_dir() / f"{name}.toml"
    mtime = path.stat().st_mtime if path.exists() else -1.0
    cached = _SPECS.get(name)
    if cached is None or cached[0] != mtime:
        _SPECS[name] = (mtime, load_spec(name))
    return _SPECS[name][1]


@shared_task(bind=True, name="worker.tasks.grade_submission", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT, ignore_result=True,
             autoretry_for=(OperationalError,), retry_backoff=2, retry_backoff_max=60, max_retries=None)
def grade_submission(self: Any, submission_id: int) -> str:
    """Grade one submission in the sandboxed runner and store the result once."""
    task_id = self.request.id or f"local-{submission_id}"
    claim = with_db_retry(lambda: grading.claim(submission_id, task_id, heartbeat.INSTANCE))
    if claim is None:
        return "skipped"  # graded already, being graded by another job, or deleted
    try:
        spec = assignment_spec(claim.assignment)
        # default_runner() is the sandbox (one warm fork-server per worker process): student code
        # never runs in this trusted process.
        document = grade_source(claim.code, spec, runner=default_runner())
    except SoftTimeLimitExceeded:
        with_db_retry(lambda: grading.store_error(claim, f"grading took longer than {TASK_SOFT_TIME_LIMIT} s"))
        return "error"
    except AssignmentError as exc:
        problem = f"assignment file problem: {exc}"
        with_db_retry(lambda: grading.store_error(claim, problem))
        return "error"
    except Exception as exc:  # noqa: BLE001 - an engine failure is a system error, not a zero
        log.exception("grading submission %s failed", submission_id)
        message = f"internal grading error: {type(exc).__name__}: {exc}"
        with_db_retry(lambda: grading.store_error(claim, message))
        return "error"
    try:
        stored = with_db_retry(lambda: grading.store_result(claim, document))
    except OperationalError:
        raise  # still unreachable after the retries: Celery retries the task, which reclaims by task id
    except (StatementError, ValueError) as exc:
        # Not transient (a constraint, or a document that is not strict JSON): retrying would
        # fail the same way, and leaving the row `running` would loop.
        db.session.rollback()
        log.exception("could not store the result of submission %s", submission_id)
        failure = f"could not store the result: {str(getattr(exc, 'orig', exc)).splitlines()[0][:300]}"
        with_db_retry(lambda: grading.store_error(claim, failure))
        return "error"
    return "graded" if stored else "superseded"


@shared_task(name="worker.tasks.sweep_stuck_submissions", acks_late=True, ignore_result=True,
             soft_time_limit=60, time_limit=90)
def sweep_stuck_submissions() -> dict[str, Any]:
    """Beat job: re-send lost grading jobs and rescue submissions of dead workers."""
    report = grading.sweep()
    if report.resent_queued or report.rescued_running:
        log.warning("sweeper: re-sent %d queued, rescued %d running (queue depth %s)",
                    report.resent_queued, report.rescued_running, report.queue_depth)
    return {"resent_queued": report.resent_queued, "rescued_running": report.rescued_running}


@shared_task(bind=True, name="worker.tasks.deliver_webhook", acks_late=True, ignore_result=True,
             soft_time_limit=30, time_limit=45, max_retries=8)
def deliver_webhook(self: Any, delivery_id: int) -> str:
    """Placeholder on its own queue: the LMS issue implements the signed POST and its retries."""
    from app.models import WebhookDelivery

    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != "pending":
        return "skipped"
    delivery.attempts += 1
    delivery.last_error = "webhook delivery is not implemented yet"
    db.session.commit()
    return "pending"
