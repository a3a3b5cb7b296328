"""Sending background jobs only after the transaction that created their rows commits.

A job names a row by id; if the transaction rolls back, the job is never sent, and if
sending fails after the commit, the row is still there for the sweeper to find
(warehouse's `warehouse/tasks.py` does the same).
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Celery
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

from app.config import QUEUES

log = logging.getLogger(__name__)

_PENDING = "nablagrade.pending_jobs"
# Jobs are sent by name: the app never imports the worker package that defines them.
GRADE_TASK = "worker.tasks.grade_submission"


def after_commit(session: Session | scoped_session, task: str, *args: Any, countdown: float | None = None) -> None:
    """Send `task(*args)` once `session` commits (to run `countdown` seconds later, when given);
    drop it if the session rolls back."""
    if isinstance(session, scoped_session):
        session = session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before the commit has a transaction to end, and drops the job
    session.info.setdefault(_PENDING, []).append((task, args, countdown))


def enqueue_grading(session: Session | scoped_session, submission_id: int) -> None:
    after_commit(session, GRADE_TASK, submission_id)


def celery_app() -> Celery:
    return current_app.extensions["celery"]


def send_now(task: str, *args: Any, countdown: float | None = None) -> bool:
    """Publish one job; False (and a log line) when the broker is unreachable."""
    try:
        celery_app().send_task(task, args=list(args), countdown=countdown, retry=True,
                               retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.5})
    except Exception:  # noqa: BLE001 - any broker failure: the sweeper re-sends from the database
        log.warning("could not send %s%r; the sweeper will re-send it", task, args, exc_info=True)
        return False
    return True


def _send_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    for task, args, countdown in pending:
        send_now(task, *args, countdown=countdown)


def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


_installed = False


def install() -> None:
    """Hook the after-commit sender into every SQLAlchemy session (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_commit", _send_pending)
    event.listen(Session, "after_soft_rollback", lambda session, previous: _drop_pending(session))
    _installed = True


def queue_depths() -> dict[str, int | None]:
    """Messages waiting in each queue (None when the broker cannot say)."""
    depths: dict[str, int | None] = {}
    try:
        with celery_app().connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)
            for name in QUEUES:
                depths[name] = _depth(connection, name)
    except Exception:  # noqa: BLE001 - broker down: depths unknown
        return {name: None for name in QUEUES}
    return depths


def _depth(connection: Any, name: str) -> int | None:
    channel = connection.channel()
    try:
        return int(channel.queue_declare(queue=name, passive=True).message_count)
    except Exception as exc:  # noqa: BLE001
        # Redis drops an empty list's key, so a passive declare of an empty queue says NOT_FOUND.
        if "NOT_FOUND" in str(exc) or "no queue" in str(exc).lower():
            return 0
        return None
    finally:
        try:
            channel.close()
        except Exception:  # noqa: BLE001
            pass
