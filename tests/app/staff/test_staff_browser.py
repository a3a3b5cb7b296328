"""The staff flow end to end in Chromium, against the service as deployed (gunicorn's sync
workers) with a real Celery worker grading on Redis and PostgreSQL: a TA logs in, finds a student in the table, reads the histogram and the
mistakes chart, grants an extension, overrides a score with a comment, runs a regrade dry run
and downloads both CSVs. Every page: no outside request, no CSP violation, no serious or
critical axe finding, a screenshot at desktop and phone width (instance/screenshots)."""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.extensions import db
from app.models import Role
from app.services import passwords, people
from app.services.submissions import submit
from tests.app.staff.conftest import OUTER_ONLY
from tests.support.browser import PHONE, assert_accessible, page_log, serve
from tests.support.servers import CORRECT, web_and_worker
from tests.support.waiting import wait_until_done

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_service(app_context, database_url, redis_server, assignments_dir, tmp_path) -> Iterator[str]:
    """gunicorn's sync workers and a Celery worker on the test database and broker; the base URL."""
    with web_and_worker(database_url, redis_server.url, assignments_dir, tmp_path, "staff-e2e") as url:
        yield url


def person(course, email: str, name: str, role: Role) -> Any:
    user, _ = people.get_or_create_user(email, name, role, None)
    passwords.set_password(user, PASSWORD)
    people.enrol(user, course, role)
    db.session.commit()
    return user


def read_download(download: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))


def check_page(page: Any, screenshot: Any, name: str) -> None:
    assert_accessible(page)
    screenshot(page, name)
    assert page_log(page).problems() == []


def test_a_ta_works_through_the_dashboards_extension_override_regrade_and_exports(
        app_context, course, staff_service, open_page, screenshot) -> None:
    person(course, "tess.ta@example.edu", "Tess Assistant", Role.TA)
    wrong = person(course, "walt.wrong@example.edu", "Walt Wrong", Role.STUDENT)
    right = person(course, "rita.right@example.edu", "Rita Right", Role.STUDENT)
    person(course, "nina.none@example.edu", "Nina None", Role.STUDENT)
    ids = [submit(wrong, course.code, "t1", OUTER_ONLY.encode(), "hw.py").id,
           submit(right, course.code, "t1", CORRECT.encode(), "hw.py").id]
    graded = wait_until_done(ids, timeout=120)
    assert all(s.status.value == "graded" for s in graded), [s.error for s in graded]
    walt_submission = graded[0]

    page = open_page()
    with contextlib.nullcontext(staff_service) as base:
        page.goto(f"{base}/auth/login")
        page.get_by_label("Email").fill("tess.ta@example.edu")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        # The course overview. Every test assignment has the same title: the row of t1 (its name is beside it).
        t1_row = page.get_by_role("row", name=re.compile(r"\(t1\)"))
        assert "2 of 3 students" in t1_row.inner_text()
        check_page(page, screenshot, "course")
        t1_row.get_by_role("link", name=re.compile("^Test assignment")).click()

        # The dashboard: histogram drawn by uPlot, the mistakes chart in words and percentages.
        page.get_by_role("heading", name="Scores that count").wait_for()
        histogram = page.locator("#score-histogram")
        histogram.locator("canvas").wait_for()
        assert "Score histogram" in histogram.inner_text()
        mistakes = page.get_by_role("figure", name=re.compile("Catalogued mistakes in"))
        assert re.search(r"without the diag\(s\) term \(1 of 2\)\s*50%", mistakes.inner_text())
        assert "2 / 3" in page.locator(".kpis").inner_text()
        check_page(page, screenshot, "dashboard")

        # The students table: Walt is there, with his score; his row leads to his attempts.
        page.get_by_role("link", name="Students").first.click()
        row = page.get_by_role("row", name=re.compile("Walt Wrong"))
        assert re.search(r"\d+ / 25", row.inner_text())
        page.get_by_role("link", name="Score").click()  # sort on the server
        assert "sort=score" in page.url
        check_page(page, screenshot, "students")
        page.get_by_role("link", name="Walt Wrong").click()

        # An extension, from the student's page.
        page.get_by_label("New due date (UTC)").fill("2031-05-06T07:08")
        page.get_by_label("Reason (optional)").fill("medical note")
        page.get_by_role("button", name="Grant the extension").click()
        assert "now has until Tue 06 May 2031, 07:08 UTC" in page.get_by_role("status").first.inner_text()
        assert page.get_by_role("button", name="Revoke the extension").count() == 1
        check_page(page, screenshot, "student")

        # An override with its comment, on the submission page.
        page.get_by_role("link", name="Attempt 1").click()
        page.get_by_role("heading", name="Code", exact=True).wait_for()
        page.get_by_label("New score").fill("22")
        page.get_by_role("button", name="Override the score").click()
        assert page.get_by_text("Say why: the student sees this comment.").count() >= 1  # refused: no comment
        log = page_log(page)  # the refusal is a 422, which Chromium logs as a failed load: expected here
        assert [e for e in log.console_errors if "422" in e]
        log.console_errors[:] = [e for e in log.console_errors if "422" not in e]
        page.get_by_label("Comment for the student").fill("The derivation on paper is right; typo in the code.")
        page.get_by_role("button", name="Override the score").click()
        assert "overridden to 22" in page.get_by_role("status").first.inner_text()
        history = page.get_by_role("table", name="Override history")
        assert "Tess Assistant" in history.inner_text() and "typo in the code" in history.inner_text()
        assert page.locator("code.language-python .token").count() > 0  # Prism highlighted the code
        check_page(page, screenshot, "submission")

        # A regrade dry run of this submission, computed by the worker, polled by htmx.
        page.get_by_role("button", name="Dry run a regrade").click()
        page.get_by_text("Dry run finished").wait_for(timeout=60_000)
        assert "0 scores would change" in page.locator("#regrade-preview").inner_text()
        check_page(page, screenshot, "regrade")

        # Both CSVs, downloaded and parsed.
        page.goto(f"{base}/staff/{course.code}/assignments/{walt_submission.assignment_id}/")
        with page.expect_download() as canvas_download:
            page.get_by_role("link", name="Gradebook for Canvas import").click()
        canvas = read_download(canvas_download.value)
        assert canvas[0]["Student"].strip() == "Points Possible"
        scores = {line["SIS Login ID"]: line[next(iter(reversed(line)))] for line in canvas[1:]}
        assert scores == {"nina.none@example.edu": "", "rita.right@example.edu": "25", "walt.wrong@example.edu": "22"}
        with page.expect_download() as checks_download:
            page.get_by_role("link", name="Every check of every student (item analysis)").click()
        checks = read_download(checks_download.value)
        assert {line["email"] for line in checks} == {"rita.right@example.edu", "walt.wrong@example.edu"}
        assert any(line["email"] == "walt.wrong@example.edu" and line["problem"] == "softmax"
                   and line["passed"] == "no" for line in checks)
        assert page_log(page).problems() == []

        # The same pages at a phone's width.
        phone = open_page(*PHONE)
        phone.goto(f"{base}/auth/login")
        phone.get_by_label("Email").fill("tess.ta@example.edu")
        phone.get_by_label("Password").fill(PASSWORD)
        phone.get_by_role("button", name="Log in").click()
        for name, path in [("dashboard", f"/staff/{course.code}/assignments/{walt_submission.assignment_id}/"),
                           ("students", f"/staff/{course.code}/assignments/{walt_submission.assignment_id}/students"),
                           ("submission", f"/staff/{course.code}/submissions/{walt_submission.id}")]:
            phone.goto(base + path)
            overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} is {overflow}px wider than the phone"
            check_page(phone, screenshot, f"phone-{name}")


LONG_EMAIL = "lms04f09cb64a7f7679d0d47bc7e1c2a9b8@integrations.example.edu"


def test_an_assignment_nobody_submitted_yet_reads_well(app_context, course, open_page, screenshot) -> None:
    """The first thing a TA sees of a new assignment: empty charts say so, in words."""
    person(course, "tess.ta@example.edu", "Tess Assistant", Role.TA)
    person(course, "nina.none@example.edu", "Nina None", Role.STUDENT)
    person(course, LONG_EMAIL, "lms-9 (canvas)", Role.STUDENT)
    page = open_page()
    with serve(app_context) as base:
        page.goto(f"{base}/auth/login")
        page.get_by_label("Email").fill("tess.ta@example.edu")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("row", name=re.compile(r"\(t1\)")).get_by_role("link", name=re.compile("^Test assignment")).click()
        assert page.get_by_text("No submissions yet").count() >= 1
        assert "0 / 2" in page.locator(".kpis").inner_text()
        check_page(page, screenshot, "dashboard")
        page.get_by_role("link", name="Students").first.click()
        assert page.get_by_role("row", name=re.compile("Nina None")).count() == 1
        page.get_by_label("Show").select_option("late")
        page.get_by_role("button", name="Filter").click()
        assert page.get_by_text("No student matches").count() == 1
        check_page(page, screenshot, "students")
        # At a phone's width a long address (an account the API made for an LMS id) wraps in its card.
        phone = open_page(*PHONE)
        phone.goto(f"{base}/auth/login")
        phone.get_by_label("Email").fill("tess.ta@example.edu")
        phone.get_by_label("Password").fill(PASSWORD)
        phone.get_by_role("button", name="Log in").click()
        phone.goto(page.url.split("?")[0])
        address = phone.get_by_text(LONG_EMAIL, exact=True)
        box = address.bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE[0], box
