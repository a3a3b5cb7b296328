"""Compute reference gradients once per worker process, before the first student waits on them."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)
WARM_SOURCE = "def nothing():\n    return None\n"


def require_sandbox(sender: Any = None, **_: Any) -> None:
    """worker_init: a worker that consumes the grading queue refuses to start when the
    sandbox cannot be set up, and says what is missing. SystemExit, not Exception:
    Celery logs and swallows a signal handler's Exception."""
    from app.config import GRADING_QUEUE
    from graders.sandbox import SandboxUnavailable, verify_sandbox

    queues = getattr(getattr(getattr(sender, "app", None), "amqp", None), "queues", None)
    consuming = set(queues.consume_from or {}) if queues is not None else {GRADING_QUEUE}
    if GRADING_QUEUE not in consuming:
        return
    try:
        verify_sandbox()
    except SandboxUnavailable as exc:
        log.critical("refusing to start a grading worker without the sandbox: %s", exc)
        raise SystemExit(f"nablagrade: refusing to start a grading worker without the sandbox: {exc}") from None


def prepare_references(app: Any) -> None:
    """Fill the engine's per-process `prepare` cache for every assignment file."""
    from app.assignment_sync import assignment_names, load_spec
    from graders.engine import default_runner, grade_source, prepare

    if not app.config.get("WARM_UP", True):
        return
    with app.app_context():
        names = assignment_names()
    runner_started = False
    for name in names:
        try:
            with app.app_context():
                spec = load_spec(name)
            for config in spec.problems:
                prepare(config.problem, spec.seed, config.trials)
            if not runner_started:
                # One throw-away grading starts this process's sandbox runner (its fork-server).
                grade_source(WARM_SOURCE, spec, runner=default_runner())
                runner_started = True
        except Exception:  # noqa: BLE001 - a broken file is reported when a submission needs it
            log.warning("could not warm up assignment %s", name, exc_info=True)
