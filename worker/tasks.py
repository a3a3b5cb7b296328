"""Celery tasks. They take ids, never objects, and each calls one service (warehouse's
`warehouse/packaging/tasks.py` style); app.celery.FlaskTask gives them the app context."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from sqlalchemy.exc import OperationalError

from app.config import TASK_SOFT_TIME_LIMIT, TASK_TIME_LIMIT
from app.services import grading, integrations, regrades, webhook_delivery
from worker import heartbeat

log = logging.getLogger(__name__)


@shared_task(bind=True, name="worker.tasks.grade_submission", acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=TASK_SOFT_TIME_LIMIT, time_limit=TASK_TIME_LIMIT, ignore_result=True,
             autoretry_for=(OperationalError,), retry_backoff=2, retry_backoff_max=60, max_retries=None)
def grade_submission(self: Any, submission_id: int) -> str:
    """Grade one submission in the sandboxed runner and store the result once."""
    return grading.grade(submission_id, self.request.id or f"local-{submission_id}", heartbeat.INSTANCE)


@shared_task(name="worker.tasks.preview_regrade", acks_late=True, ignore_result=True, soft_time_limit=3600,
             time_limit=3660)
def preview_regrade(preview_id: int) -> str:
    """A regrade's dry run: grade again in the sandbox, store only which scores would change."""
    return regrades.compute_preview(preview_id)


@shared_task(name="worker.tasks.sweep_stuck_submissions", acks_late=True, ignore_result=True,
             soft_time_limit=60, time_limit=90)
def sweep_stuck_submissions() -> dict[str, Any]:
    """Beat job: re-send lost grading jobs and rescue submissions of dead workers."""
    report = grading.sweep()
    if report.resent_queued or report.rescued_running or report.retried_errors:
        log.warning("sweeper: re-sent %d queued, rescued %d running, retried %d failed (queue depth %s)",
                    report.resent_queued, report.rescued_running, report.retried_errors, report.queue_depth)
    return {"resent_queued": report.resent_queued, "rescued_running": report.rescued_running,
            "retried_errors": report.retried_errors}


@shared_task(name="worker.tasks.prune_idempotency_keys", acks_late=True, ignore_result=True,
             soft_time_limit=60, time_limit=90)
def prune_idempotency_keys() -> int:
    """Beat job: drop API idempotency keys past their time to live."""
    return integrations.prune_idempotency_keys()


@shared_task(name="worker.tasks.deliver_webhook", acks_late=True, reject_on_worker_lost=True, ignore_result=True,
             soft_time_limit=90, time_limit=120, autoretry_for=(OperationalError,), retry_backoff=2,
             retry_backoff_max=60, max_retries=5)
def deliver_webhook(message_id: int) -> str:
    """One delivery attempt of a webhook message (its outcome and next attempt are stored)."""
    return webhook_delivery.deliver(message_id)


@shared_task(name="worker.tasks.sweep_webhooks", acks_late=True, ignore_result=True, soft_time_limit=60,
             time_limit=90)
def sweep_webhooks() -> int:
    """Beat job: send again the delivery jobs of due webhook messages that nobody is delivering,
    and forget messages past the delivery log's retention."""
    sent = webhook_delivery.sweep()
    if sent:
        log.warning("webhook sweeper: re-sent %d delivery jobs", sent)
    webhook_delivery.prune()
    return sent
