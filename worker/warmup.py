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
    """Make sure the reference store (graders.reference_store, the cache `nablagrade warm`
    fills) holds the visible trials and every hidden trial set of every assignment file
    of every course, then start this process's sandbox runner."""
    from app.services import assignments
    from graders.engine import default_runner, grade_source
    from graders.preparation import warm

    if not app.config.get("WARM_UP", True):
        return
    runner_started = False
    try:
        with app.app_context():
            specs = assignments.specs_in_use()
    except Exception:  # noqa: BLE001 - the database may be restarting: the first job warms up instead
        log.warning("could not list the assignments to warm up", exc_info=True)
        return
    for course, name in specs:
        try:
            with app.app_context():
                spec = assignments.load_spec(course, name).spec
            for config in spec.problems:
                warm(config.problem, spec.seed, config.trials, spec.hidden_pool, load=True)
            if not runner_started:
                # One throw-away grading starts this process's sandbox runner (its fork-server).
                grade_source(WARM_SOURCE, spec, runner=default_runner())
                runner_started = True
        except Exception:  # noqa: BLE001 - a broken file is reported when a submission needs it
            log.warning("could not warm up assignment %s/%s", course, name, exc_info=True)
