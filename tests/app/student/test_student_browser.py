"""The student's flow in headless Chromium against the service as deployed: gunicorn with sync
workers, a real Celery worker, PostgreSQL and Redis. A student logs in through the labelled
fields, uploads a transposed answer and watches the status change live (no reload) to a
`transposed` diagnosis, then writes the right answer in the editor and gets full marks. Every
page: no outside request, no CSP violation, axe finds nothing serious; screenshots at desktop
and phone widths. The same upload works with JavaScript off, and the page says to reload."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.extensions import db
from app.models import Course, Role
from app.services import assignments, courses, passwords, people
from tests.support.browser import PHONE, assert_accessible, page_log
from tests.support.servers import wait_for, web_and_worker

COURSE = "E2E"
PASSWORD = "correct horse battery staple"
DUE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3, hours=5)).strftime("%Y-%m-%dT%H:%M:00Z")
ASSIGNMENT = f"""
name = "linear"
title = "Linear layer with an L2 loss"
due = {DUE}
max_submissions_per_day = 20
[late]
policy = "penalty"
penalty_per_day = 0.1
[[problems]]
id = "linear_l2"
points = 10
"""
TRANSPOSED = '''import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2.0 * x @ r.T, "b": 2.0 * r, "x": 2.0 * W.T @ r}
'''
RIGHT = '''import numpy as np


def linear_l2_grads(W, b, x, y):
    r = W @ x + b - y
    return {"W": 2.0 * r @ x.T, "b": 2.0 * r, "x": 2.0 * W.T @ r}
'''
# A loaded machine may make the worker warm references first; the grading itself takes about a second.
GRADED_WITHIN_MS = 180_000


@dataclass
class Service:
    url: str
    course: Course
    logs: list[Path]


@pytest.fixture
def student_service(app_context: Any, database_url: str, redis_server: Any, assignments_dir: Path,
                    tmp_path: Path) -> Iterator[Service]:
    """The E2E course (its own assignment folder) served by gunicorn's sync workers, graded by a worker."""
    folder = assignments_dir / COURSE
    folder.mkdir(exist_ok=True)
    (folder / "linear.toml").write_text(ASSIGNMENT)
    course = courses.get_or_create_course(COURSE, "End to end")
    assignments.sync(course, ["linear"])
    student, _ = people.get_or_create_user("ada@example.edu", "Ada Lovelace", Role.STUDENT, None)
    passwords.set_password(student, PASSWORD)
    people.enrol(student, course, Role.STUDENT)
    db.session.commit()
    try:
        with web_and_worker(database_url, redis_server.url, assignments_dir, tmp_path, "e2e-w1") as url:
            yield Service(url, course, [tmp_path / "web.log", tmp_path / "worker.log"])
    finally:
        (folder / "linear.toml").unlink()
        folder.rmdir()


def log_in(page: Any, url: str) -> None:
    page.goto(f"{url}/auth/login")
    page.get_by_label("Email").fill("ada@example.edu")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_student_uploads_a_transposed_answer_then_fixes_it_in_the_editor(student_service: Service, open_page: Any,
                                                                          screenshot: Any, tmp_path: Path) -> None:
    page = open_page(timezone_id="America/New_York")
    log_in(page, student_service.url)
    page.wait_for_url(f"{student_service.url}/student/{COURSE}/")  # one course: straight to it
    assert page.get_by_text("20 of 20 left today; resets at 00:00 UTC").is_visible()
    row = page.get_by_role("row", name=re.compile("Linear layer"))
    assert re.search(r"\(3 days [45] hours? left\)", row.inner_text())
    assert row.locator("time[data-localised]").count() == 1 and "EST" in row.inner_text()  # the reader's time zone
    assert_accessible(page)
    screenshot(page, "course")

    page.get_by_role("link", name="Linear layer with an L2 loss").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Linear layer with an L2 loss", level=1).is_visible()
    page.locator(".statement .katex").first.wait_for()  # KaTeX drew the math, from the app's own files
    assert page.get_by_text("def linear_l2_grads(W, b, x, y)", exact=True).is_visible()
    assert page.get_by_text("penalty of 10% of the score per day late").is_visible()
    page.locator(".cm-editor").wait_for()  # CodeMirror took over the textarea
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the starter file").click()
    starter = Path(download.value.path()).read_text()
    assert "def linear_l2_grads(W, b, x, y):" in starter and "raise NotImplementedError" in starter
    assert_accessible(page)
    screenshot(page, "assignment")

    answer = tmp_path / "linear.py"
    answer.write_text(TRANSPOSED)
    page.get_by_label("Python file (.py)").set_input_files(str(answer))
    page.get_by_role("button", name="Upload and grade").click()
    page.wait_for_url(re.compile(r"/student/E2E/submissions/\d+$"))
    submission_url = page.url
    assert not page.get_by_text("Reload this page to see the result.").is_visible()  # JavaScript follows it instead
    first_status = page.locator("#submission-status .badge__word").first.inner_text()
    page.evaluate("() => { window.__sameDocument = true; }")  # gone if the page reloads
    page.get_by_text("transposed", exact=True).first.wait_for(timeout=GRADED_WITHIN_MS)
    assert page.evaluate("() => window.__sameDocument === true"), "the result came by a reload, not live"
    assert first_status in ("Queued", "Running"), first_status
    assert page.locator("#submission-status .badge__word").first.inner_text() == "Graded"
    # Screen readers hear the change: the polite live region says it once.
    assert page.locator("#live-status").inner_text() == "Attempt 1 graded: 5.93 of 10 points."
    history = page.get_by_role("row", name=re.compile("Attempt 1"))
    assert "Graded" in history.inner_text() and "5.93" in history.inner_text()  # the history followed too
    assert page.get_by_text("expected 3 × 5: transposed").first.is_visible()
    assert page.get_by_text(re.compile(r"Transposed, your W is right")).first.is_visible()
    assert page.get_by_text(re.compile("Hidden trials: 0 of 2 passed")).first.is_visible()
    assert_accessible(page)
    screenshot(page, "transposed")

    page.get_by_role("link", name="Submit again").click()
    editor = page.locator(".cm-content")
    assert "x @ r.T" in editor.inner_text()  # pre-filled with the latest attempt
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(RIGHT)
    page.get_by_role("button", name="Submit this code").click()
    page.wait_for_url(re.compile(r"/student/E2E/submissions/\d+$"))
    assert page.url != submission_url
    page.locator("#submission-status .live-status .badge__word", has_text="Graded").wait_for(timeout=GRADED_WITHIN_MS)
    status = " ".join(page.locator("#submission-status .live-status").inner_text().split())
    assert "10 / 10 (100%)" in status, status
    assert page.locator(".result .badge__word", has_text="Failed").count() == 0
    assert_accessible(page)
    screenshot(page, "full-marks")

    page.get_by_role("link", name="Changes since attempt 1").first.click()
    assert page.locator(".diff__row--removed").count() >= 1 and page.locator(".diff__row--added").count() >= 1
    diff_path = page.url.removeprefix(student_service.url)
    assert_accessible(page)
    screenshot(page, "diff")

    phone = open_page(*PHONE)
    log_in(phone, student_service.url)
    for path, name in ((f"/student/{COURSE}/", "phone-course"), (f"/student/{COURSE}/linear/", "phone-assignment"),
                       (submission_url.removeprefix(student_service.url), "phone-transposed"), (diff_path, "phone-diff")):
        phone.goto(student_service.url + path)
        # Nothing wider than the screen but the parts that scroll on their own.
        overflow = phone.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than a phone"
        assert_accessible(phone)
        screenshot(phone, name)
    assert page_log(page).problems() == [] and page_log(phone).problems() == []


def test_without_javascript_the_form_submits_and_the_page_says_to_reload(student_service: Service, open_page: Any,
                                                                        screenshot: Any, tmp_path: Path) -> None:
    page = open_page(java_script_enabled=False)
    log_in(page, student_service.url)
    page.goto(f"{student_service.url}/student/{COURSE}/linear/")
    assert page.get_by_label("Your solution").is_visible()  # the plain textarea, still labelled
    answer = tmp_path / "linear.py"
    answer.write_text(TRANSPOSED)
    page.get_by_label("Python file (.py)").set_input_files(str(answer))
    page.get_by_role("button", name="Upload and grade").click()
    page.wait_for_url(re.compile(r"/student/E2E/submissions/\d+$"))
    if page.locator("#submission-status .badge__word").first.inner_text() != "Graded":
        assert page.get_by_text("Reload this page to see the result.").is_visible()
        screenshot(page, "waiting", scroll=False)

    def graded_after_reload() -> bool:
        page.reload()
        return page.locator("#submission-status .badge__word").first.inner_text() == "Graded"

    wait_for(graded_after_reload, GRADED_WITHIN_MS / 1000, "the graded result after a reload", interval=1)
    assert page.get_by_text("transposed", exact=True).first.is_visible()
    screenshot(page, "graded", scroll=False)
