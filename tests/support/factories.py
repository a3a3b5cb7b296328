"""Test data for the service tests: the assignment files of the test course, and an app
migrated onto a given database and broker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import flask_migrate
from flask import Flask
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.support.servers import ASSIGNMENT_T1

TEST_COURSE = "T101"


def assignment_toml(name: str, top: str = "", tables: str = "") -> str:
    """The test assignment under another name; `top` adds top-level keys, `tables` more tables."""
    header, problems = ASSIGNMENT_T1.split("[[problems]]", 1)
    return header.replace('name = "t1"', f'name = "{name}"') + top + "\n" + tables + "\n[[problems]]" + problems


def write_assignments(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=36)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (directory / "t1.toml").write_text(ASSIGNMENT_T1)
    (directory / "closed.toml").write_text(assignment_toml("closed", f"due = {past}", '[late]\npolicy = "none"'))
    (directory / "penalised.toml").write_text(
        assignment_toml("penalised", f"due = {past}", '[late]\npolicy = "penalty"\npenalty_per_day = 0.1'))
    (directory / "limited.toml").write_text(assignment_toml("limited", "max_submissions_per_day = 2"))
    return directory


def make_app(database_url: str, broker_url: str, instance: Path, assignments: Path) -> Flask:
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CELERY_BROKER_URL": broker_url,
        "INSTANCE_PATH": str(instance),
        "ASSIGNMENTS_DIR": str(assignments),
        "SECRET_KEY": "test-only",
        "WORKER_STALE": 3.0,
        "QUEUED_GRACE": 1.0,
    })
    with app.app_context():
        flask_migrate.upgrade()
    return app


def reset_database() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.rollback()
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()
