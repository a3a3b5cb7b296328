"""The nablagrade web service: `create_app()` builds it from the environment."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app import config as app_config
from app.extensions import db, limiter, migrate, retry_after_only_on_refusals


class MissingSecretKey(RuntimeError):
    """Neither SECRET_KEY nor a generated instance/secret_key: the app refuses to start."""


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app. `config` overrides the environment (tests, scripts)."""
    settings = app_config.from_environment(config)
    if not settings.get("SECRET_KEY"):
        raise MissingSecretKey(
            "no secret key: set SECRET_KEY, or run `python -m app.setup` to generate one into "
            f"{settings['INSTANCE_PATH']} (make demo does)")
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"], instance_relative_config=True)
    app.config.from_mapping(settings)

    db.init_app(app)
    # Flask runs after_request hooks in reverse order: registered first, this one runs after
    # the limiter's, which adds the header it trims.
    app.after_request(retry_after_only_on_refusals)
    limiter.init_app(app)
    migrate.init_app(app, db, directory=str(app_config.PROJECT_ROOT / "migrations"), render_as_batch=True)

    from app.celery import celery_init_app
    from app.services import jobs

    celery_init_app(app)
    jobs.install()

    # Blueprints are imported here so tests that build several apps get clean registrations.
    from app import api
    from app.auth import bp as auth_bp
    from app.main import bp as main_bp
    from app.staff import bp as staff_bp
    from app.student import bp as student_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(student_bp, url_prefix="/student")
    app.register_blueprint(staff_bp, url_prefix="/staff")
    api.init_app(app)  # /api/v1: flask-smorest resources, problem+json errors, the OpenAPI document

    from app import error_pages, security, ui
    from app.auth import access, sessions, throttle

    security.init_app(app)  # CSP, security headers and cookie flags on every response
    ui.init_app(app)  # template helpers, asset caching, and /styleguide in debug and test runs
    sessions.init_app(app)  # Flask-Login sessions and CSRF on every form outside /api/
    throttle.init_app(app)  # failed logins counted per account and per address
    access.init_app(app)  # the course switcher's context
    error_pages.init_app(app)

    from app.cli import register_commands

    register_commands(app)
    return app
