"""Fixtures shared by tests/app and tests/worker (imported by both conftest files)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from sqlalchemy import text

from app import create_app
from app.assignment_sync import sync_assignments
from app.cli import enrol, get_or_create_course, get_or_create_user
from app.extensions import db
from app.models import Course, Role, User
from tests.app.services import (
    ASSIGNMENT_T1,
    PrivateRedis,
    create_database,
    drop_database,
    private_redis,
    require_postgres,
)

TEST_COURSE = "T101"
__all__ = ["app", "app_context", "assignments_dir", "course", "database_url", "instance_dir", "redis_server", "student"]


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


@pytest.fixture(scope="session")
def assignments_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_assignments(tmp_path_factory.mktemp("assignments"))


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    require_postgres()
    url = create_database()
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


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


@pytest.fixture(scope="session")
def app(database_url: str, redis_server: PrivateRedis, instance_dir: Path, assignments_dir: Path) -> Iterator[Flask]:
    app = make_app(database_url, redis_server.url, instance_dir, assignments_dir)
    yield app
    with app.app_context():
        db.engine.dispose()


def reset_database() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.rollback()
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture
def app_context(app: Flask, redis_server: PrivateRedis) -> Iterator[Flask]:
    """Per-test isolation: every table emptied and the private broker flushed after each test
    (workers are separate processes, so a rolled-back SAVEPOINT could not be seen by them)."""
    with app.app_context():
        reset_database()
        redis_server.client().flushall()
        yield app
        db.session.remove()


@pytest.fixture
def course(app_context: Flask) -> Course:
    course = get_or_create_course(TEST_COURSE, "Test course")
    outcomes = sync_assignments(course)
    assert all(o.action == "created" for o in outcomes), outcomes
    db.session.commit()
    return course


@pytest.fixture
def student(course: Course) -> User:
    user, _ = get_or_create_user("student@example.edu", "A Student", Role.STUDENT, "pw")
    enrol(user, course, Role.STUDENT)
    db.session.commit()
    return user
