"""Workers announce themselves in the database every few seconds.

The sweeper uses the heartbeat to tell a dead worker's `running` submissions from live ones,
and /healthz counts live workers from it. It works with every broker, including the
embedded ones, which have no broadcast channel for `celery inspect ping`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from typing import Any

from celery import signals

from app.extensions import db
from app.services import health

log = logging.getLogger(__name__)

# Set in the main worker process before the pool forks, so every child inherits it and a
# child's claim names the worker whose heartbeat vouches for it.
INSTANCE: str = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
_stop = threading.Event()
_thread: threading.Thread | None = None
_connected = False


def beat_once(app: Any, hostname: str, queues: str, concurrency: int) -> None:
    with app.app_context():
        try:
            health.record_heartbeat(INSTANCE, hostname, queues, concurrency)
        except Exception:  # noqa: BLE001 - the database may be restarting; try again next beat
            db.session.rollback()
            log.warning("heartbeat failed", exc_info=True)
        finally:
            db.session.remove()


def _run(app: Any, hostname: str, queues: str, concurrency: int) -> None:
    interval = app.config["WORKER_HEARTBEAT"]
    while not _stop.wait(interval):
        beat_once(app, hostname, queues, concurrency)


def on_worker_init(sender: Any = None, **_: Any) -> None:
    global INSTANCE
    INSTANCE = f"{getattr(sender, 'hostname', socket.gethostname())}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def on_worker_ready(sender: Any = None, **_: Any) -> None:
    global _thread
    app = sender.app.flask_app
    hostname = sender.hostname
    queues = ",".join(sorted(q.name for q in sender.task_consumer.queues)) if sender.task_consumer else ""
    concurrency = int(getattr(sender.controller, "concurrency", 1) or 1)
    beat_once(app, hostname, queues, concurrency)
    _stop.clear()
    _thread = threading.Thread(target=_run, args=(app, hostname, queues, concurrency), name="heartbeat", daemon=True)
    _thread.start()


def on_worker_shutdown(sender: Any = None, **_: Any) -> None:
    _stop.set()
    app = getattr(getattr(sender, "app", None), "flask_app", None)
    if app is None:
        return
    with app.app_context():
        try:
            health.forget_worker(INSTANCE)
        except Exception:  # noqa: BLE001 - a stale row simply ages out
            db.session.rollback()


def on_process_init(**_: Any) -> None:
    """In each forked pool child: drop the database connections inherited from the parent."""
    from celery import current_app

    app = current_app.flask_app
    with app.app_context():
        db.engine.dispose(close=False)
    from worker import warmup

    warmup.prepare_references(app)


def connect_signals() -> None:
    global _connected
    if _connected:
        return
    signals.worker_init.connect(on_worker_init, weak=False)
    from worker import warmup

    signals.worker_init.connect(warmup.require_sandbox, weak=False)
    signals.worker_init.connect(warmup.store_references, weak=False)
    signals.worker_ready.connect(on_worker_ready, weak=False)
    signals.worker_shutdown.connect(on_worker_shutdown, weak=False)
    signals.worker_process_init.connect(on_process_init, weak=False)
    _connected = True
