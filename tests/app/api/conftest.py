"""Fixtures of the API tests: a test client and tokens of the test course (and of another), and\nthe app served by a real gunicorn for what needs real concurrency."""

from __future__ import annotations

import sys
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from app.extensions import db
from app.models import Course
from app.services import assignments, courses, tokens
from tests.support.servers import ServiceProcess, free_port, service_env, wait_for

ALL_SCOPES = list(tokens.SCOPES)


@pytest.fixture
def make_token(course: Course) -> Callable[..., str]:
    """The secret of a new token: of the test course unless `course_code` says otherwise."""

    def make(*scopes: str, course_code: str = course.code, name: str = "lms") -> str:
        return tokens.create(course_code, name, list(scopes) or ALL_SCOPES)[1]

    return make


@pytest.fixture
def bearer(make_token: Callable[..., str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token()}"}


@pytest.fixture
def other_course(course: Course) -> Course:
    """A second course with the same assignment files."""
    other = courses.get_or_create_course("B202", "Another course")
    assignments.sync(other)
    db.session.commit()
    return other


@dataclass
class LiveApi:
    """The app served by gunicorn (threads, two processes) on the test database and broker."""

    url: str
    process: ServiceProcess

    def headers(self, secret: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {secret}", **extra}


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "/api/v1/openapi.json", timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def live_api_env() -> dict[str, str]:
    """More environment for the live app; a test parametrizes it by this name to change it."""
    return {}


@pytest.fixture
def live_api(app_context: Flask, database_url: str, redis_server, assignments_dir: Path,
             tmp_path: Path, live_api_env: dict[str, str]) -> Iterator[LiveApi]:
    port = free_port()
    instance = tmp_path / "web-instance"
    instance.mkdir()
    env = service_env(database_url, redis_server.url, instance, assignments_dir,
                      NABLAGRADE_API_RATE_LIMIT="100000 per minute", NABLAGRADE_API_SUBMIT_RATE_LIMIT="100000 per minute",
                      **live_api_env)
    command = [str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "2",
               "--worker-class", "gthread", "--threads", "4", "--graceful-timeout", "5",
               # The app answers an overlong URL (a fuzzed cursor) with its problem document; gunicorn's
               # own limit would answer first, in HTML (docs/api.md, "Deploying").
               "--limit-request-line", "0", "app:create_app()"]
    process = ServiceProcess(command, env, tmp_path / "web.log").start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url) or process.process.poll() is not None, 60, "gunicorn to answer")
        assert process.process.poll() is None, process.output()
        yield LiveApi(url, process)
    finally:
        process.stop()
