"""The design system in a real browser: the style guide page, which uses every macro, the editor,
KaTeX, uPlot, Prism and an htmx polling fragment, loaded in Debian's headless Chromium.

Every page opened here also fails its test on a request to another origin, a console error,
an uncaught exception or a Content-Security-Policy violation (tests/support/browser.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from app import create_app
from tests.support.browser import PHONE, assert_accessible, page_log, serve

SOLUTION = "import numpy as np\n\ndef sigmoid_grad(x):\nreturn x * (1 - x)"


@pytest.fixture(scope="module")
def frontend_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app with the style guide; it needs neither the database nor the broker."""
    instance = tmp_path_factory.mktemp("frontend-instance")
    return create_app({"TESTING": True, "SECRET_KEY": "browser-tests", "INSTANCE_PATH": str(instance),
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'unused.sqlite3'}",
                       "CELERY_BROKER_URL": "memory://"})


@pytest.fixture(scope="module")
def base_url(frontend_app: Flask) -> Iterator[str]:
    with serve(frontend_app) as url:
        yield url


def open_styleguide(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/styleguide/")
    page.wait_for_selector(".cm-editor")
    page.wait_for_selector("figure[data-chart][data-chart-ready]")


def test_styleguide_works_in_chromium(page: Any, base_url: str, screenshot: Any) -> None:
    open_styleguide(page, base_url)

    # KaTeX rendered the statement, with MathML for screen readers.
    statement = page.locator(".statement")
    assert statement.locator(".katex").count() >= 3
    assert statement.locator(".katex-display").count() == 1
    assert statement.locator("math").count() >= 3
    assert "$" not in statement.inner_text().replace("$$", "")

    # Each chart drew a canvas, and its numbers are there as a table.
    for chart_id in ("chart-histogram", "chart-pass-rates", "chart-timeline"):
        figure = page.locator(f"#{chart_id}")
        assert figure.get_attribute("data-chart-ready") == "true"
        canvas = figure.locator("canvas")
        assert canvas.count() == 1 and canvas.bounding_box()["width"] > 200
    page.get_by_text("Show the numbers").first.click()
    assert page.locator("#chart-histogram table").get_by_role("row").count() == 11

    # Prism coloured the read-only code; the heat map marks the wrong entries with more than colour.
    assert page.locator("pre.code .token.keyword").count() >= 2
    heat = page.locator(".heatmap").first
    assert "30 of 36 entries above" in heat.inner_text()
    assert heat.locator("td.heat--worst").count() == 1

    # The deadline is shown in the browser's time zone with the time left.
    due = page.locator("time[data-local]").first
    assert due.get_attribute("data-localised") == "true"
    assert re.search(r"\(2 days 3 hours left\)|\(2 days 2 hours left\)", page.locator(".time-left").first.inner_text())

    # The polling fragment follows the sample submission to the end and stops; the enhancers ran
    # on the swapped-in fragment too (its time is localised).
    expect_text(page.locator("#sample-status"), "Graded", timeout=10_000)
    assert page.locator("#sample-status").get_attribute("hx-trigger") is None
    assert page.locator("#sample-status time").get_attribute("data-localised") == "true"
    polls = len([url for url in page_log(page).requests if "/styleguide/status" in url])
    page.wait_for_timeout(2500)
    assert polls == 2 == len([url for url in page_log(page).requests if "/styleguide/status" in url])

    # An htmx POST carries the CSRF token in its header and swaps in the answer.
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    with page.expect_request("**/styleguide/regrade") as posted:
        page.get_by_role("button", name="Request a regrade of this check").click()
    assert posted.value.headers["x-csrftoken"] == token and posted.value.headers["hx-request"] == "true"
    expect_text(page.locator("#regrade"), "Regrade requested", timeout=5000)

    assert_accessible(page)
    shot = screenshot(page)
    assert shot.parent.parts[-2:] == ("instance", "screenshots") and shot.read_bytes()[:4] == b"\x89PNG"

    # Type into the editor (found by its label, as a user would) and submit the form.
    editor = page.get_by_role("textbox", name="Your solution")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(SOLUTION)
    page.get_by_label("Attempt title").fill("first try")
    page.get_by_label("I wrote this code myself").check()
    page.get_by_role("button", name="Submit for grading").click()
    page.wait_for_selector("#received-title")
    received = page.locator("section[aria-labelledby=received-title]")
    assert "“first try”: 4 lines" in received.inner_text()
    code = received.locator("pre code").inner_text()
    # The editor auto-indents after "def ...:", which is what a student sees and submits.
    assert code.startswith("import numpy as np\n\ndef sigmoid_grad(x):\n    return x * (1 - x)")
    assert page.get_by_role("status").filter(has_text="Received 4 lines of code").count() == 1
    assert_accessible(page)
    screenshot(page, "submitted")


def test_the_editor_is_reachable_and_escapable_by_keyboard(page: Any, base_url: str) -> None:
    from playwright.sync_api import expect

    open_styleguide(page, base_url)
    # Clicking the label focuses the editor, as it would a textarea.
    page.locator("label", has_text="Your solution").click()
    editor = page.get_by_role("textbox", name="Your solution")
    assert editor.evaluate("(el) => el === document.activeElement")
    assert editor.get_attribute("aria-describedby") == "source-help"
    # Tab indents inside the editor (Python needs it), and the textarea that is submitted follows ...
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("x = 1")
    assert editor.evaluate("(el) => el === document.activeElement")
    assert page.locator("#source").input_value().endswith("\n\n    x = 1")  # one indent unit: 4 spaces
    # ... and Escape then Tab moves on to the next field, so the keyboard is never trapped. (An open
    # list of suggestions takes the first Escape, as in any editor.)
    suggestions = page.locator(".cm-tooltip-autocomplete")
    page.wait_for_timeout(300)
    if suggestions.count():
        page.keyboard.press("Escape")
        expect(suggestions).to_have_count(0)
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(page.get_by_role("checkbox", name="I wrote this code myself")).to_be_focused(timeout=3000)
    assert page.locator("#source").input_value().endswith("x = 1")  # Tab did not indent this time


def test_form_errors_are_on_the_form_and_announced(page: Any, base_url: str, screenshot: Any) -> None:
    open_styleguide(page, base_url)
    page.get_by_label("Attempt title").fill("")
    page.get_by_role("button", name="Submit for grading").click()
    page.wait_for_selector(".error-summary")
    # The 422 answer is the page itself, not a failure of it.
    page_log(page).console_errors[:] = [e for e in page_log(page).console_errors if "422" not in e]
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    assert summary.get_by_role("link").count() == 2
    title = page.get_by_label("Attempt title")
    assert title.get_attribute("aria-invalid") == "true"
    described = title.get_attribute("aria-describedby").split()
    assert "title-errors" in described and "This field is required." in page.locator("#title-errors").inner_text()
    assert page.get_by_role("checkbox", name="I wrote this code myself").get_attribute("aria-invalid") == "true"
    # The code the student wrote is still there.
    assert "def sigmoid_grad" in page.get_by_role("textbox", name="Your solution").inner_text()
    assert_accessible(page)
    screenshot(page)


def test_styleguide_fits_a_phone(open_page: Any, base_url: str, screenshot: Any) -> None:
    page = open_page(*PHONE)
    open_styleguide(page, base_url)
    # Nothing makes the whole page scroll sideways; wide tables and heat maps scroll in their own box.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    for chart in page.locator("figure[data-chart] canvas").all():
        assert chart.bounding_box()["width"] <= PHONE[0]
    # Result tables turn into labelled rows.
    cell = page.locator(".result__checks td[data-label='Diagnosis']").first
    assert page.evaluate("(el) => getComputedStyle(el).display", cell.element_handle()) == "block"
    assert_accessible(page)
    screenshot(page, "phone")


def test_pages_work_without_javascript(open_page: Any, base_url: str, screenshot: Any) -> None:
    page = open_page(java_script_enabled=False)
    page.goto(f"{base_url}/styleguide/")
    assert page.locator(".cm-editor").count() == 0
    assert "Reload this page to see the result." in page.content()
    textarea = page.get_by_label("Your solution")
    textarea.fill("def softplus_grad(x, beta):\n    return 1.0\n")
    page.get_by_label("Attempt title").fill("no script")
    page.get_by_label("I wrote this code myself").check()
    page.get_by_role("button", name="Submit for grading").click()
    received = page.locator("section[aria-labelledby=received-title]")
    assert "“no script”: 2 lines" in received.inner_text()
    # The same regrade form posts its hidden token and comes back to the page with a message.
    page.get_by_role("button", name="Request a regrade of this check").click()
    assert page.get_by_role("status").filter(has_text="Regrade requested").count() == 1
    # Times stay readable in UTC, charts fall back to their tables.
    assert page.locator("time[data-local]").first.inner_text().endswith("UTC")
    assert page.locator("#chart-histogram table").count() == 1
    screenshot(page, scroll=False)


def expect_text(locator: Any, text: str, timeout: float) -> None:
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=timeout)


def test_time_left_reads_the_same_in_the_browser_as_on_the_server(page: Any, base_url: str) -> None:
    """js/localtime.js rewrites the server's "(… left)" text every 30 s: the words must not change."""
    import datetime as dt

    from app.ui import time_left
    from tests.app.test_frontend_ui import NOW, TIME_LEFT_CASES

    page.goto(f"{base_url}/styleguide/")
    now_ms = NOW.timestamp() * 1000
    for seconds, text in TIME_LEFT_CASES:
        in_browser = page.evaluate("([at, now]) => Nabla.timeLeft(new Date(at), now)", [now_ms + seconds * 1000, now_ms])
        assert in_browser == text == time_left(NOW + dt.timedelta(seconds=seconds), NOW)


def test_times_are_shown_in_the_readers_time_zone(open_page: Any, base_url: str) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    page = open_page(timezone_id="Asia/Kolkata", locale="en-GB")
    page.goto(f"{base_url}/styleguide/")
    due = page.locator("time[data-local='datetime']").first
    expect_text(due, "GMT+5:30", timeout=5000)
    moment = dt.datetime.fromisoformat(due.get_attribute("datetime").replace("Z", "+00:00"))
    local = moment.astimezone(ZoneInfo("Asia/Kolkata"))
    assert local.strftime("%H:%M") in due.inner_text()  # UTC+5:30: the minutes move too
    assert due.get_attribute("title").endswith("UTC")  # the UTC time stays on hover


def test_the_page_fixture_catches_requests_to_other_origins(page: Any, base_url: str) -> None:
    """The guard itself: a request elsewhere is recorded (and aborted here before it leaves)."""
    page.route("http://outside.invalid/**", lambda route: route.abort())
    page.goto(f"{base_url}/styleguide/")
    page.evaluate("() => { const img = new Image(); img.src = 'http://outside.invalid/pixel.png'; }")
    page.wait_for_timeout(300)
    log = page_log(page)
    assert log.home == base_url
    assert log.outside_requests() == ["http://outside.invalid/pixel.png"]
    assert any("outside.invalid" in problem for problem in log.problems())
    # The CSP blocked it too (img-src 'self'), and the failed load was logged: all expected here.
    assert [v["directive"] for v in log.csp_violations] == ["img-src"]
    log.requests.clear()
    log.csp_violations.clear()
    log.console_errors.clear()
