"""The student pages through the test client: the course page's due dates, budgets and scores; the
assignment page's statements, shapes, policies and starter file; submitting by upload and by the
editor, every bad upload refused on its form with nothing stored; the live status fragment with
its ETag; results, history and diffs."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, ScorePolicy, Submission, SubmissionStatus, utcnow
from app.services import deadlines, grading
from app.services.submissions import submit
from graders.assignment import parse_assignment_text
from graders.engine import grade_source
from tests.support.servers import ASSIGNMENT_T1, CORRECT, WRONG
from tests.support.web import text

UNSTABLE_AND_DIAGONAL = '''
import numpy as np
print("hello from the student " * 2000)

def sigmoid_grad(x):
    e = np.exp(-x)
    return e / (1.0 + e) ** 2

def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s * (1.0 - s))
'''


def stored() -> int:
    return db.session.scalar(select(func.count(Submission.id)))


def upload(me, course_code: str, name: str, data: bytes, filename: str = "hw.py"):
    return me.post(f"/student/{course_code}/{name}/submit", {"file": (io.BytesIO(data), filename)},
                   content_type="multipart/form-data")


def field_errors(response) -> list[str]:
    html = text(response)
    return [re.sub(r"<[^>]+>", "", item).replace("Error:", "").strip()
            for item in re.findall(r'<ul class="field__errors"[^>]*>(.*?)</ul>', html, re.S)]


def graded(submission: Submission, source: str) -> Submission:
    """Grade `submission` in the sandbox as a worker would, and store the result."""
    document = grade_source(source, parse_assignment_text(ASSIGNMENT_T1, "t1"))
    claim = grading.claim(submission.id, "task", "w")
    assert claim is not None and grading.store_result(claim, document)
    db.session.expire_all()
    return db.session.get(Submission, submission.id)


def test_the_course_page_shows_due_dates_budgets_and_the_score_that_counts(me, course, student):
    for source in (CORRECT, WRONG):
        submit(student, course.code, "limited", source.encode(), "a.py")
    first, second = db.session.scalars(select(Submission).order_by(Submission.attempt)).all()
    for row, value in ((first, 25.0), (second, 5.0)):
        row.status, row.score, row.max_score = SubmissionStatus.GRADED, value, 25.0
    deadlines.grant_extension(course.code, "closed", student.email, utcnow() + dt.timedelta(days=2))
    db.session.commit()
    page = text(me.get(f"/student/{course.code}/"))
    row = re.search(r"Test assignment.*?</tr>", page[page.index('href="/student/T101/limited/"'):], re.S).group(0)
    assert "0 of 2 left today; resets at 00:00 UTC" in row
    assert ">5</span>" in row and "(latest)" in row  # the latest graded counts
    closed = page[page.index('href="/student/T101/closed/"'):]
    assert "Your extension" in closed.split("</tr>")[0] and "left)" in closed.split("</tr>")[0]
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" data-local', page)

    db.session.scalar(select(Assignment).where(Assignment.name == "limited")).score_policy = ScorePolicy.BEST
    db.session.commit()
    best = text(me.get(f"/student/{course.code}/"))
    limited = best[best.index('href="/student/T101/limited/"'):].split("</tr>")[0]
    assert ">25</span>" in limited and "(best)" in limited


def test_the_assignment_page_shows_statements_shapes_and_policies(me, course, student):
    page = text(me.get(f"/student/{course.code}/penalised/"))
    assert "\\(s_j = \\dfrac{e^{x_j}}{\\sum_k e^{x_k}}\\)" in page  # LaTeX kept whole for KaTeX
    assert "<code>def softmax_jacobian(x)</code>" in page
    assert re.search(r"<code>x</code></td><td><code>\(5, 1\)</code></td>\s*<td><code>x</code></td><td><code>\(5, 5\)"
                     r"</code>", page)
    assert "penalty of 10% of the score per day late" in page and "Your latest graded attempt (latest)" in page
    assert "No daily limit" in page and "vendor/katex/katex.min.js" in page and 'data-editor="python"' in page
    deadlines.grant_extension(course.code, "penalised", student.email, utcnow() + dt.timedelta(days=1), reason="ill")
    assert "Your extension" in text(me.get(f"/student/{course.code}/penalised/"))
    assert "2 of 2 left today" in text(me.get(f"/student/{course.code}/limited/"))


def test_the_starter_file_has_signatures_and_shapes_and_no_solution(me, course):
    response = me.get(f"/student/{course.code}/t1/starter.py")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    source = text(response)
    namespace: dict = {}
    exec(compile(source, "starter.py", "exec"), namespace)  # noqa: S102 - our own generated file
    with pytest.raises(NotImplementedError):
        namespace["softmax_jacobian"](None)
    assert "x: (5, 1)" in source and "Returns one numpy array of shape (5, 5)." in source
    assert "diagflat" not in source and "exp(" not in source


def test_the_editor_starts_from_the_starter_file_then_from_the_latest_attempt(me, course, student):
    fresh = text(me.get(f"/student/{course.code}/t1/"))
    assert "raise NotImplementedError" in fresh and "The starter file" in fresh
    submit(student, course.code, "t1", WRONG.encode(), "mine.py")
    again = text(me.get(f"/student/{course.code}/t1/"))
    assert "return -s * (1.0 - s)" in again and "Your latest attempt" in again


def test_an_upload_and_the_editor_both_submit(me, course):
    sent = upload(me, course.code, "t1", CORRECT.encode(), "final answer.py")
    assert sent.status_code == 303
    row = db.session.scalar(select(Submission))
    assert sent.headers["Location"] == f"/student/{course.code}/submissions/{row.id}"
    assert (row.filename, row.code, row.status) == ("final_answer.py", CORRECT, SubmissionStatus.QUEUED)
    written = me.post(f"/student/{course.code}/t1/submit", {"source": WRONG})
    assert written.status_code == 303 and stored() == 2
    assert db.session.scalar(select(Submission).where(Submission.attempt == 2)).filename == "t1.py"


@pytest.mark.parametrize(("name", "data", "filename", "message"), [
    ("t1", b"", "hw.py", "hw.py is empty"),
    ("t1", b"   \n\n", "hw.py", "hw.py is empty"),
    ("t1", CORRECT.encode(), "hw.txt", "hw.txt is not a Python file: upload a file whose name ends in .py"),
    ("t1", b"#" * (256 * 1024 + 1), "big.py", "big.py is 257 KiB; the limit is 256 KiB"),
    ("t1", b"import numpy\x00\x01\x02", "bin.py", "bin.py is a binary file, not Python source"),
    ("t1", "x = 'é'\n".encode("latin-1"), "latin.py", "latin.py is not UTF-8 text (line 1 has the byte 0xe9, perhaps Latin-1 or Windows-1252): save it as UTF-8"),
    ("closed", CORRECT.encode(), "hw.py", "does not accept late submissions"),
])
def test_a_bad_upload_gets_a_message_on_its_form_and_nothing_is_stored(me, course, name, data, filename, message):
    response = upload(me, course.code, name, data, filename)
    assert response.status_code == 422
    errors = field_errors(response)
    assert len(errors) == 1 and errors[0].startswith("Not sent: ") and message in errors[0], errors
    assert 'id="file-errors"' in text(response) and 'aria-invalid="true"' in text(response)
    assert stored() == 0


def test_no_file_chosen_is_a_message_too(me, course):
    response = me.post(f"/student/{course.code}/t1/submit", {"file": (io.BytesIO(b""), "")},
                       content_type="multipart/form-data")
    assert response.status_code == 422 and field_errors(response) == ["Choose a .py file to upload."]
    assert stored() == 0


def test_a_double_submit_and_the_daily_limit_are_refused(me, course):
    assert upload(me, course.code, "limited", CORRECT.encode()).status_code == 303
    twice = upload(me, course.code, "limited", CORRECT.encode())
    assert twice.status_code == 422 and "you sent exactly this file" in field_errors(twice)[0].lower()
    editor = me.post(f"/student/{course.code}/limited/submit", {"source": WRONG})
    assert editor.status_code == 303 and stored() == 2
    over = me.post(f"/student/{course.code}/limited/submit", {"source": WRONG + "\n# again\n"})
    assert over.status_code == 422 and 'id="source-errors"' in text(over)
    assert field_errors(over) == ["Not sent: you have used all 2 submissions for limited today; the count resets at "
                                  "00:00 UTC."]
    assert stored() == 2 and "0 of 2 left today" in text(over)


def test_the_status_fragment_follows_the_submission_with_an_etag(me, course, student):
    row = submit(student, course.code, "t1", CORRECT.encode(), "a.py")
    url = f"/student/{course.code}/submissions/{row.id}/status"
    first = me.get(url)
    assert first.status_code == 200 and "Position 1 in the grading queue." in text(first)
    assert 'hx-trigger="every 2s"' in text(first) and first.headers["Cache-Control"] == "private, no-cache"
    unchanged = me.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.data == b""

    claim = grading.claim(row.id, "task", "w")
    running = me.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert running.status_code == 200 and "Running" in text(running) and "Checking 2 problems" in text(running)

    document = grade_source(CORRECT, parse_assignment_text(ASSIGNMENT_T1, "t1"))
    assert grading.store_result(claim, document)
    final = me.get(url, headers={"HX-Request": "true"})
    assert final.status_code == 286 and "hx-trigger" not in text(final)  # polling stops
    assert "25 / 25" in re.sub(r"<[^>]+>", "", text(final)).replace("\n", " ").replace("  ", " ")
    assert me.get(url).status_code == 200  # a plain request gets a plain 200


def test_a_system_error_is_not_a_zero(me, course, student, app_context):
    row = submit(student, course.code, "t1", CORRECT.encode(), "a.py")
    row.status, row.error = SubmissionStatus.ERROR, "worker lost"
    db.session.commit()
    url = f"/student/{course.code}/submissions/{row.id}"
    page = text(me.get(url))
    assert "Grading failed, not counted, it will be retried." in page and "0 / 25" not in page
    # The sweeper grades it again by itself, so the page keeps following it.
    status = me.get(f"{url}/status", headers={"HX-Request": "true"})
    assert status.status_code == 200 and "hx-trigger" in text(status)

    row.system_retries = len(app_context.config["ERROR_RETRY_DELAYS"])  # every automatic retry failed
    db.session.commit()
    page = text(me.get(url))
    assert "Grading failed, not counted." in page and "it will be retried" not in page and "0 / 25" not in page
    assert "course staff" in page
    assert "Reload this page" not in page  # final: nothing to wait for
    assert me.get(f"{url}/status", headers={"HX-Request": "true"}).status_code == 286


def test_results_show_visible_trials_hidden_kinds_stability_and_output(me, course, student):
    row = graded(submit(student, course.code, "t1", UNSTABLE_AND_DIAGONAL.encode(), "a.py"), UNSTABLE_AND_DIAGONAL)
    page = text(me.get(f"/student/{course.code}/submissions/{row.id}"))
    plain = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "diagonal_only" in page and "not_finite" in page
    assert "Hidden trials: 0 of 2 passed" in plain and "Kind of mistake: diagonal_only" in plain
    assert "Expected (5, 5)" in plain and "Received (5, 5)" in plain and "(worst entry)" in plain
    assert 'class="heatmap"' in page and "entries above" in plain  # |S - R| of the softmax Jacobian
    assert "above 1.00e-04" in plain  # relative error against the tolerance
    assert "The inputs that broke it" in plain and "NaN" in plain
    assert "hello from the student" in plain and "more characters, not shown" in plain
    hidden = re.findall(r"values: trial \d \(hidden\).*?</tr>", page, re.S)
    assert hidden and all("Expected" not in h for h in hidden)


def test_a_waiting_submission_page_says_to_reload_without_javascript(me, course, student):
    row = submit(student, course.code, "t1", CORRECT.encode(), "a.py")
    page = text(me.get(f"/student/{course.code}/submissions/{row.id}"))
    assert re.search(r'<p class="flash flash--info no-js-only"[^>]*>.*Reload this page to see the result.', page)
    assert f'hx-get="/student/{course.code}/submissions/{row.id}/status"' in page


def test_history_lists_attempts_and_two_can_be_diffed(me, course, student):
    one = submit(student, course.code, "t1", CORRECT.encode(), "a.py")
    two = submit(student, course.code, "t1", CORRECT.replace("x.max()", "np.max(x)").encode(), "a.py")
    page = text(me.get(f"/student/{course.code}/t1/"))
    assert "Attempt 2" in page and "Attempt 1" in page and "Changes since attempt 1" in page
    diff = text(me.get(f"/student/{course.code}/submissions/{two.id}/diff?against={one.id}"))
    assert "diff__row--removed" in diff and "diff__row--added" in diff and "np.max(x)" in diff
    picked = me.get(f"/student/{course.code}/submissions/{one.id}/diff?against={one.id}&newer={two.id}")
    assert "attempt 1 → attempt 2" in text(picked)
    reversed_pick = text(me.get(f"/student/{course.code}/submissions/{one.id}/diff?against={two.id}&newer={one.id}"))
    assert "attempt 1 → attempt 2" in reversed_pick and "diff__row--added" in reversed_pick
    assert re.search(r'diff__row--added.*?np\.max\(x\)', reversed_pick, re.S)  # the later code is the added side


def test_another_students_work_is_not_found(me, classmate, course, student):
    row = submit(student, course.code, "t1", CORRECT.encode(), "a.py")
    for suffix in ("", "/status", "/diff", f"/diff?against={row.id}"):
        assert classmate.get(f"/student/{course.code}/submissions/{row.id}{suffix}").status_code == 404
    mine = submit(classmate.user, course.code, "t1", CORRECT.encode(), "b.py")
    assert me.get(f"/student/{course.code}/submissions/{row.id}/diff?against={mine.id}").status_code == 404
    assert me.get(f"/student/{course.code}/nope/").status_code == 404



def test_a_staff_override_is_shown_with_its_comment(me, course, student):
    from app.models import Role
    from app.services import overrides, people

    ta, _ = people.get_or_create_user("ta@example.edu", "Tess Assistant", Role.TA, None)
    people.enrol(ta, course, Role.TA)
    row = graded(submit(student, course.code, "t1", WRONG.encode(), "a.py"), WRONG)
    graded_score = row.score
    overrides.set_override(row, 20.0, "Your sign error was a typo in the notes: regraded by hand.", ta)
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(me.get(f"/student/{course.code}/submissions/{row.id}"))))
    assert f"Score overridden: 20 of 25 instead of the graded {graded_score:g}" in page
    assert "by Tess Assistant" in page and "a typo in the notes" in page
    course_page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text(me.get(f"/student/{course.code}/"))))
    assert "20 / 25" in course_page and "Score overridden" in course_page


def test_a_file_over_the_request_limit_gets_the_message_on_the_form(me, course):
    # A hand-made multipart body: the test client would spool one this large to a temporary file
    # that nobody reads, and so nobody closes.
    boundary = "nablagradeboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{me.csrf}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"huge.py\"\r\n"
            "Content-Type: text/x-python\r\n\r\n").encode() + b"#" * (2 * 1024 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    response = me.get(f"/student/{course.code}/t1/submit", method="POST", data=body,
                      content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    assert field_errors(response) == ["Not sent: the file is far over the limit of 256 KiB (the request was over "
                                      "1024 KiB)."]
    assert "Upload and grade" in text(response) and stored() == 0
