"""The Celery side of nablagrade, bootstrapped the way Flask's own example does it
(pallets/flask examples/celery): every task runs inside the Flask app context."""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app for `app`, with a task class that enters its app context."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask, include=["worker.tasks"])
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    celery_app.flask_app = app  # the heartbeat thread and signal handlers need the app too
    app.extensions["celery"] = celery_app
    return celery_app
