"""The API tokens page and the API reference, as an instructor sees them in Chromium: no outside
request, no CSP violation, no serious accessibility problem (tests/support/browser.py)."""

from __future__ import annotations

import re
import urllib.request
from typing import Any

from app.extensions import db
from app.models import Role
from app.services import passwords, people
from tests.support.browser import assert_accessible, page_log, serve


def test_an_instructor_creates_a_token_and_reads_the_api_reference(app_context, course, page: Any,
                                                                  screenshot: Any) -> None:
    user, _ = people.get_or_create_user("prof@example.edu", "Prof Essor", Role.INSTRUCTOR, None)
    passwords.set_password(user, "correct horse battery staple")
    people.enrol(user, course, Role.INSTRUCTOR)
    db.session.commit()
    with serve(app_context) as base:
        page.goto(f"{base}/auth/login")
        page.get_by_label("Email").fill("prof@example.edu")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/staff/{course.code}/tokens")
        page.get_by_label("Integration name").fill("canvas")
        page.get_by_label(re.compile("^results:read")).check()
        page.get_by_label(re.compile("^submissions:write")).check()
        page.get_by_role("button", name="Create token").click()
        secret = page.get_by_label("New API token").input_value()
        assert re.fullmatch(r"ngt_[A-Za-z0-9_-]{43}", secret)
        assert page.get_by_role("row", name=re.compile("canvas")).count() == 1
        assert_accessible(page)
        screenshot(page, "created")

        request = urllib.request.Request(f"{base}/api/v1/assignments", headers={"Authorization": f"Bearer {secret}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        page.goto(f"{base}/staff/{course.code}/tokens")
        assert page.get_by_label("New API token").count() == 0  # shown once
        assert "127.0.0.1" in page.get_by_role("row", name=re.compile("canvas")).inner_text()

        page.goto(f"{base}/api/v1/docs")
        assert page.get_by_role("heading", name="POST /api/v1/assignments/{assignment_id}/submissions").count() == 1
        assert page.get_by_role("heading", name="submission.graded", exact=True).count() == 1
        assert_accessible(page)
        screenshot(page, "reference")
        assert page_log(page).problems() == []
