"""The state of the database, the broker and the workers, for /healthz and `flask grading
status`, and the heartbeats by which workers say they are alive."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import delete, select, text, update

from app.config import GRADING_QUEUE
from app.extensions import db
from app.models import WorkerHeartbeat, utcnow
from graders import __version__


@dataclass
class HealthReport:
    database: dict[str, Any] = field(default_factory=dict)
    broker: dict[str, Any] = field(default_factory=dict)
    workers: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.database.get("ok") and self.broker.get("ok") and self.workers.get("ok"))

    def as_dict(self) -> dict[str, Any]:
        return {"status": "ok" if self.ok else "down", "version": __version__, "database": self.database,
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


def record_heartbeat(instance: str, hostname: str, queues: str, concurrency: int) -> None:
    """A worker is alive now: refresh its row, or add it on the first beat."""
    now = utcnow()
    updated = db.session.execute(update(WorkerHeartbeat).where(WorkerHeartbeat.instance == instance)
                                 .values(last_seen=now).execution_options(synchronize_session=False))
    if updated.rowcount == 0:
        db.session.add(WorkerHeartbeat(instance=instance, hostname=hostname, pid=os.getpid(), queues=queues,
                                       concurrency=concurrency, started_at=now, last_seen=now))
    db.session.commit()


def forget_worker(instance: str) -> None:
    """A worker shut down cleanly: it stops counting at once instead of ageing out."""
    db.session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.instance == instance))
    db.session.commit()
