"""Fixtures of the API tests: a test client and tokens of the test course (and of another)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.models import Course
from app.services import assignments, courses, tokens

ALL_SCOPES = list(tokens.SCOPES)


@pytest.fixture
def client(app_context: Flask) -> FlaskClient:
    return app_context.test_client()


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
