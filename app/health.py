"""The state of the database, the broker and the workers, for /healthz and `flask grading status`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select, text

from app.config import GRADING_QUEUE
from app.extensions import db
from app.models import WorkerHeartbeat, utcnow


@dataclass
class HealthReport:
    database: dict[str, Any] = field(default_factory=dict)
    broker: dict[str, Any] = field(default_factory=dict)
    workers: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.database.get("ok") and self.broker.get("ok") and self.workers.get("ok"))

    def as_dict(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "down", "database": self.database,
                "broker": self.broker, "workers": self.workers}


def live_workers(stale_after: float | None = None) -> list[WorkerHeartbeat]:
    stale_after = current_app.config["WORKER_STALE"] if stale_after is None else stale_after
    cutoff = utcnow() - dt.timedelta(seconds=stale_after)
    return list(db.session.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.last_seen >= cutoff)
                                   .order_by(WorkerHeartbeat.hostname)))


def _check_database(report: HealthReport) -> None:
    url = db.engine.url
    report.database = {"ok": False, "backend": url.get_backend_name()}
    try:
        db.session.execute(text("SELECT 1"))
        report.database["ok"] = True
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        db.session.rollback()
        report.database["error"] = str(exc).splitlines()[0][:200]


def _check_broker(report: HealthReport) -> None:
    celery = current_app.extensions["celery"]
    url = current_app.config["CELERY_BROKER_URL"]
    report.broker = {"ok": False, "transport": url.split(":", 1)[0]}
    try:
        with celery.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
        report.broker["ok"] = True
    except Exception as exc:  # noqa: BLE001
        report.broker["error"] = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _check_workers(report: HealthReport) -> None:
    report.workers = {"ok": False, "live": []}
    if not report.database.get("ok"):
        report.workers["error"] = "unknown: the database is down"
        return
    workers = live_workers()
    report.workers["live"] = [
        {"name": w.instance, "hostname": w.hostname, "queues": w.queues.split(","), "concurrency": w.concurrency,
         "last_seen": w.last_seen.isoformat()} for w in workers
    ]
    grading = [w for w in workers if GRADING_QUEUE in w.queues.split(",")]
    report.workers["grading"] = len(grading)
    report.workers["ok"] = bool(grading)
    if not grading:
        report.workers["error"] = "no live worker consumes the grading queue"


def check() -> HealthReport:
    report = HealthReport()
    _check_database(report)
    _check_broker(report)
    _check_workers(report)
    return report
