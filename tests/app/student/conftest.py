"""Fixtures of the student pages: a logged-in student of the test course with a test client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.models import Course, Role, User
from app.services import people
from tests.support.authz import fresh_request, log_in


@dataclass
class Browser:
    """A test client logged in as one user, with the session's CSRF token."""

    client: Any
    csrf: str
    user: User

    def get(self, path: str, **kwargs: Any) -> Any:
        return fresh_request(self.client, path, **kwargs)

    def post(self, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
        return fresh_request(self.client, path, method="POST", data={"csrf_token": self.csrf, **data}, **kwargs)


def browser_for(app: Flask, user: User) -> Browser:
    client = app.test_client()
    return Browser(client, log_in(client, user), user)


@pytest.fixture
def me(app_context: Flask, student: User) -> Browser:
    return browser_for(app_context, student)


@pytest.fixture
def classmate(app_context: Flask, course: Course) -> Browser:
    user, _ = people.get_or_create_user("classmate@example.edu", "A Classmate", Role.STUDENT, None)
    people.enrol(user, course, Role.STUDENT)
    db.session.commit()
    return browser_for(app_context, user)
