"""Every problem of the shipped homework on the student pages, in Chromium: each statement drawn by
KaTeX without an error, the shapes and signatures shown, and a result with every kind of mistake
(hw1_mistakes.py: unstable, diagonal only, wrong value, scaled, transposed) laid out with its
heat maps, at desktop and phone widths; no outside request, no serious accessibility problem."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.extensions import db
from app.models import Course, Role, Submission
from app.services import assignments, courses, grading, passwords, people
from app.services.submissions import submit
from assignments import ASSIGNMENTS_DIR, load_assignment
from graders.engine import grade_source
from tests.support.browser import PHONE, assert_accessible, page_log, serve

COURSE = "BANK"
PASSWORD = "correct horse battery staple"


@pytest.fixture
def bank_course(app_context: Any, assignments_dir: Path) -> Iterator[Course]:
    folder = assignments_dir / COURSE
    folder.mkdir(exist_ok=True)
    for name in ("hw1", "hw2"):
        shutil.copy(ASSIGNMENTS_DIR / f"{name}.toml", folder / f"{name}.toml")
    course = courses.get_or_create_course(COURSE, "The shipped homework")
    assignments.sync(course, ["hw1", "hw2"])
    user, _ = people.get_or_create_user("grace@example.edu", "Grace Hopper", Role.STUDENT, None)
    passwords.set_password(user, PASSWORD)
    people.enrol(user, course, Role.STUDENT)
    db.session.commit()
    try:
        yield course
    finally:
        shutil.rmtree(folder)


def test_every_statement_and_a_result_full_of_mistakes(bank_course: Course, app_context: Any, open_page: Any,
                                                      screenshot: Any) -> None:
    student = db.session.scalar(db.select(people.User).where(people.User.email == "grace@example.edu"))
    source = (ASSIGNMENTS_DIR / "examples" / "hw1_mistakes.py").read_text()
    row = submit(student, COURSE, "hw1", source.encode(), "hw1.py")
    claim = grading.claim(row.id, "task", "w")
    assert claim is not None and grading.store_result(claim, grade_source(source, load_assignment("hw1")))
    submission_id = row.id
    with serve(app_context) as base:
        for width, height, suffix in ((1280, 900, ""), (*PHONE, "-phone")):
            page = open_page(width, height)
            page.goto(f"{base}/auth/login")
            page.get_by_label("Email").fill("grace@example.edu")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"{base}/student/{COURSE}/")
            for name in ("hw1", "hw2"):
                page.goto(f"{base}/student/{COURSE}/{name}/")
                spec = load_assignment(name)
                page.locator(".statement .katex").first.wait_for()
                assert page.locator("article.problem").count() == len(spec.problems)
                assert page.locator(".statement .katex-error").count() == 0  # every formula parsed
                for config in spec.problems:
                    assert page.get_by_text(config.problem.signature, exact=True).count() >= 1
                assert_accessible(page)
                screenshot(page, f"{name}{suffix}")
            page.goto(f"{base}/student/{COURSE}/submissions/{submission_id}")
            for diagnosis in ("not_finite", "diagonal_only", "wrong_value", "scaled", "transposed"):
                assert page.locator("code.diag-code", has_text=diagnosis).count() >= 1, diagnosis
            assert page.locator("figure.heatmap").count() >= 1
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"the results are {overflow}px wider than the window"
            assert_accessible(page)
            screenshot(page, f"results{suffix}")
            assert page_log(page).problems() == []
    assert db.session.get(Submission, submission_id) is not None
