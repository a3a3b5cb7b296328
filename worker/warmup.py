"""Compute reference gradients once per worker process, before the first student waits on them."""

from __future__ import annotations

import gc
import logging
from typing import Any

log = logging.getLogger(__name__)
WARM_SOURCE = "def nothing():\n    return None\n"


def _consumes_grading(sender: Any) -> bool:
    from app.config import GRADING_QUEUE

    queues = getattr(getattr(getattr(sender, "app", None), "amqp", None), "queues", None)
    consuming = set(queues.consume_from or {}) if queues is not None else {GRADING_QUEUE}
    return GRADING_QUEUE in consuming


def require_sandbox(sender: Any = None, **_: Any) -> None:
    """worker_init: a worker that consumes the grading queue refuses to start when the
    sandbox cannot be set up, and says what is missing. SystemExit, not Exception:
    Celery logs and swallows a signal handler's Exception."""
    from graders.sandbox import SandboxUnavailable, verify_sandbox

    if not _consumes_grading(sender):
        return
    try:
        verify_sandbox()
    except SandboxUnavailable as exc:
        log.critical("refusing to start a grading worker without the sandbox: %s", exc)
        raise SystemExit(f"nablagrade: refusing to start a grading worker without the sandbox: {exc}") from None


def _specs(app: Any) -> list[Any]:
    """The specs of every assignment file a worker may be asked to grade ([] if the
    database cannot say: the first job then warms up instead)."""
    from app.services import assignments

    try:
        with app.app_context():
            names = assignments.specs_in_use()
    except Exception:  # noqa: BLE001 - the database may be restarting
        log.warning("could not list the assignments to warm up", exc_info=True)
        return []
    specs = []
    for course, name in names:
        try:
            with app.app_context():
                specs.append(assignments.load_spec(course, name).spec)
        except Exception:  # noqa: BLE001 - a broken file is reported when a submission needs it
            log.warning("could not read assignment %s/%s to warm up", course, name, exc_info=True)
    return specs


def store_references(sender: Any = None, **_: Any) -> None:
    """worker_init, in the main process before the pool forks: fill the reference store
    (graders.reference_store, the one `nablagrade warm` fills) with every trial set of
    every assignment file of every course, and keep them in memory, which the pool's
    children inherit. Here and not in a child: computing what the store lacks can take
    seconds, and Celery gives a new pool child 4 s to start."""
    from graders.preparation import warm

    app = getattr(getattr(sender, "app", None), "flask_app", None)
    if app is None or not _consumes_grading(sender) or not app.config.get("WARM_UP", True):
        return
    for spec in _specs(app):
        for config in spec.problems:
            try:
                warm(config.problem, spec.seed, config.trials, spec.hidden_pool, load=True)
            except Exception:  # noqa: BLE001 - the first job that needs it reports the problem
                log.warning("could not prepare %s of %s", config.problem.id, spec.name, exc_info=True)
    freeze_heap()


def prepare_references(app: Any) -> None:
    """In each pool child: make sure every trial set is in memory (inherited from the
    main process, or read from the store), then start this process's sandbox runner."""
    from graders.engine import default_runner, grade_source
    from graders.preparation import prepare

    if not app.config.get("WARM_UP", True):
        return
    runner_started = False
    for spec in _specs(app):
        try:
            for config in spec.problems:
                for hidden_set in range(spec.hidden_pool):
                    prepare(config.problem, spec.seed, config.trials, hidden_set)
            if not runner_started:
                # One throw-away grading starts this process's sandbox runner (its fork-server).
                grade_source(WARM_SOURCE, spec, runner=default_runner())
                runner_started = True
        except Exception:  # noqa: BLE001 - a broken file is reported when a submission needs it
            log.warning("could not warm up assignment %s", spec.name, exc_info=True)
    freeze_heap()


def freeze_heap() -> None:
    """Keep what a worker holds for good (the Flask app, SQLAlchemy, Celery, the references) out
    of every later garbage collection. A graded job allocates enough to set off full collections,
    and each would walk those ~140 000 objects again: 0.3 ms of a job's CPU, measured. Done in
    the main process before the pool forks, it also keeps a collection in a child from writing
    to every page the child shares with its parent."""
    gc.collect()
    gc.freeze()
