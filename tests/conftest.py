"""Fixtures shared by the service tests (tests/app, tests/worker, tests/scripts): a fresh
PostgreSQL database and a private Redis per session, the app on them, and per-test data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Course, Role, User
from app.services import assignments, courses, people
from tests.support.factories import TEST_COURSE, make_app, reset_database, write_assignments
from tests.support.receiver import Receiver
from tests.support.servers import PrivateRedis, create_database, drop_database, private_redis, require_postgres

# Chromium fixtures for the browser tests: browser, open_page, page, screenshot.
pytest_plugins = ["tests.support.browser"]


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


@pytest.fixture(scope="session")
def app(database_url: str, redis_server: PrivateRedis, instance_dir: Path, assignments_dir: Path) -> Iterator[Flask]:
    app = make_app(database_url, redis_server.url, instance_dir, assignments_dir)
    yield app
    with app.app_context():
        db.engine.dispose()


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
def client(app_context: Flask) -> FlaskClient:
    return app_context.test_client()


@pytest.fixture
def course(app_context: Flask) -> Course:
    course = courses.get_or_create_course(TEST_COURSE, "Test course")
    outcomes = assignments.sync(course)
    assert all(o.action == "created" for o in outcomes), outcomes
    return course


@pytest.fixture
def student(course: Course) -> User:
    user, _ = people.get_or_create_user("student@example.edu", "A Student", Role.STUDENT, "pw")
    people.enrol(user, course, Role.STUDENT)
    db.session.commit()
    return user


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1, started; set its `secrets` to verify with."""
    server = Receiver().start()
    yield server
    server.stop()
