"""Celery bound to the Flask app, the way Flask's own example does it (pallets/flask
examples/celery): every task runs inside the app context, so a task calls a service as a
route would. The tasks themselves live in `worker/`; the app only sends them by name."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from flask import Flask


class FlaskTask(Task):
    """A task that runs inside the Flask app context of the Celery app it belongs to."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.app.flask_app.app_context():
            return self.run(*args, **kwargs)


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app for `app`, configured from `app.config["CELERY"]`."""
    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    celery_app.flask_app = app  # FlaskTask, the heartbeat thread and the signal handlers need it
    app.extensions["celery"] = celery_app
    return celery_app
