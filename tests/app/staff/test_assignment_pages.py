"""The staff pages of an assignment through the test client: what a TA reads and the forms they send."""

from __future__ import annotations

import csv
import io
import re

from app.extensions import db
from app.models import Role, ScoreOverride
from app.services import assignments, deadlines, results
from tests.support.authz import log_in
from tests.support.web import get, post_form, text


def t1(course):
    return assignments.get_assignment(course.code, "t1")


def ta_client(app, enrol):
    client = app.test_client()
    log_in(client, enrol("pat.ta@example.edu", Role.TA, name="Pat Assistant"))
    return client


def test_the_dashboard_shows_charts_with_their_numbers_and_what_the_class_gets_wrong(app_context, course, classroom,
                                                                                   enrol):
    client = ta_client(app_context, enrol)
    page = text(get(client, f"/staff/{course.code}/assignments/{t1(course).id}/"))
    assert 'data-chart="histogram"' in page and 'data-chart="bars"' in page and 'data-chart="series"' in page
    assert "Show the numbers" in page  # every chart carries its table
    assert "3 / 4" in page  # students who submitted
    # The catalogued mistake in words with its share: 2 of the 3 who submitted.
    assert re.search(r"it looks like -s s\^T without the diag\(s\) term \(2 of 3\)</span>.*?67%", page, re.S)
    assert "sign flipped (2 of 3)" in page
    assert "Share of the 3 students who submitted that made each mistake" in page
    assert "grading latency p50 / p95" in page and "0 queued" in page
    assert "<script>" not in page  # no inline script: chart data is JSON in a typed script element


def test_the_students_table_sorts_filters_and_links_to_each_student(app_context, course, classroom, enrol):
    client = ta_client(app_context, enrol)
    base = f"/staff/{course.code}/assignments/{t1(course).id}/students"
    page = text(get(client, base + "?sort=score&dir=desc"))
    order = [m for m in re.findall(r"(ada|bob|cy|dee)@example.edu</span>", page)]
    assert order == ["ada", "bob", "cy", "dee"]
    assert 'aria-sort="descending"' in page
    assert f'href="/staff/{course.code}/assignments/{t1(course).id}/students/{classroom["cy"].id}"' in page
    filtered = text(get(client, base + "?state=missing"))
    assert "dee@example.edu" in filtered and "ada@example.edu" not in filtered and "1 student match" in filtered
    assert "No student matches" in text(get(client, base + "?q=nobody"))


def test_a_ta_grants_and_revokes_an_extension(app_context, course, classroom, enrol):
    client = ta_client(app_context, enrol)
    assignment, dee = t1(course), classroom["dee"]
    page = f"/staff/{course.code}/assignments/{assignment.id}/students/{dee.id}"
    bad = post_form(client, page + "/extension", {"due": "tomorrow"}, page=page)
    assert bad.status_code == 422 and "Not a valid datetime value" in text(bad)
    assert deadlines.extension_of(assignment, dee) is None
    done = post_form(client, page + "/extension", {"due": "2031-03-04T05:06", "reason": "flu"}, page=page)
    assert done.status_code == 302
    extension = deadlines.extension_of(assignment, dee)
    assert f"{extension.due:%Y-%m-%d %H:%M %Z}" == "2031-03-04 05:06 UTC" and extension.reason == "flu"
    assert extension.granted_by.email == "pat.ta@example.edu"
    shown = text(get(client, page))
    assert "Revoke the extension" in shown and "2031-03-04T05:06:00Z" in shown
    past = post_form(client, page + "/extension", {"due": "2020-01-01T00:00"}, page=page)
    assert past.status_code == 302 and "already passed" in text(get(client, page))
    assert post_form(client, page + "/extension/revoke", {}, page=page).status_code == 302
    db.session.expire_all()
    assert deadlines.extension_of(assignment, dee) is None


def test_a_ta_overrides_a_score_with_a_comment_and_the_student_sees_the_new_score(app_context, course, classroom,
                                                                                  enrol):
    client = ta_client(app_context, enrol)
    counted = results.standings(t1(course), classroom["cy"])[0].counted
    page = f"/staff/{course.code}/submissions/{counted.id}"
    detail = text(get(client, page))
    assert "def softmax_jacobian" in detail and 'class="language-python"' in detail  # the code, for Prism
    assert counted.spec_digest[:16] in detail and "Engine version" in detail and "Picked up by a worker" in detail
    assert "wrong on this hidden trial" in detail  # staff see hidden checks
    assert re.search(r"above [0-9.e-]+</span>", detail)  # relative error against the tolerance
    # The visible trial side by side: the softmax Jacobian, square.
    assert re.search(r"Expected \((\d+), \1\)</caption>.*Received \((\d+), \2\)</caption>", detail, re.S)
    refused = post_form(client, page + "/override", {"score": "21.5", "comment": ""}, page=page)
    assert refused.status_code == 422 and "Say why" in text(refused) and "21.5" in text(refused)
    too_high = post_form(client, page + "/override", {"score": "30", "comment": "bonus"}, page=page)
    assert too_high.status_code == 422 and "from 0 to 25" in text(too_high)
    words = post_form(client, page + "/override", {"score": "abc", "comment": "bonus"}, page=page)
    assert words.status_code == 422 and "must be a number, such as 21.5" in text(words)
    assert "cannot be negative" not in text(words) and "Not a valid decimal" not in text(words)  # one clear message
    assert db.session.query(ScoreOverride).count() == 0
    done = post_form(client, page + "/override", {"score": "21.5", "comment": "Right on paper."}, page=page)
    assert done.status_code == 302
    db.session.expire_all()
    assert results.standings(t1(course), classroom["cy"])[0].final == 21.5
    after = text(get(client, page))
    assert "Override history" in after and "Right on paper." in after and "Pat Assistant" in after


def test_the_csv_downloads_stream_and_parse(app_context, course, classroom, enrol):
    client = ta_client(app_context, enrol)
    base = f"/staff/{course.code}/assignments/{t1(course).id}"
    with app_context.app_context():
        response = client.get(base + "/gradebook.csv?layout=moodle")
        assert response.is_streamed and response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        response.close()
    assert rows[0][:4] == ["First name", "Last name", "ID number", "Email address"] and len(rows) == 5
    assert get(client, base + "/gradebook.csv?layout=excel").status_code == 404
    checks = get(client, base + "/checks.csv")
    lines = list(csv.DictReader(io.StringIO(text(checks))))
    assert {line["problem"] for line in lines} == {"sigmoid", "softmax"}


def test_a_regrade_dry_run_page_polls_while_running_then_lists_changes_and_commits(app_context, course, classroom,
                                                                                  enrol):
    from app.models import RegradePreview
    from app.services import regrades

    client = ta_client(app_context, enrol)
    assignment = t1(course)
    start = post_form(client, f"/staff/{course.code}/assignments/{assignment.id}/regrade", {},
                      page=f"/staff/{course.code}/assignments/{assignment.id}/regrade")
    assert start.status_code == 302
    preview = db.session.query(RegradePreview).one()
    running = text(get(client, start.headers["Location"]))
    assert 'hx-trigger="every 2s"' in running and "Waiting for a grading worker" in running
    preview.status, preview.total, preview.done = "done", 3, 3
    preview.changes = [{"submission_id": 1, "user_id": classroom["cy"].id, "email": "cy@example.edu", "name": "Cy",
                        "attempt": 1, "old": 10.0, "new": 12.5, "counted_old": 10.0, "counted_new": 12.5,
                        "overridden": False}]
    db.session.commit()
    fragment = text(get(client, start.headers["Location"] + "?fragment=1"))
    assert "hx-trigger" not in fragment and "1 score would change" in fragment and "+2.5 (up)" in fragment
    assert "<html" not in fragment
    sent = post_form(client, f"/staff/{course.code}/regrades/{preview.id}/commit", {}, page=start.headers["Location"])
    assert sent.status_code == 302
    db.session.expire_all()
    assert db.session.get(RegradePreview, preview.id).committed_at is not None
    assert regrades.recent(assignment)[0].id == preview.id


def test_the_course_overview_says_who_submitted_each_assignment(app_context, course, classroom, enrol):
    client = ta_client(app_context, enrol)
    page = text(get(client, f"/staff/{course.code}/"))
    t1_row = re.search(r"\(t1\)</span>.*?</tr>", page, re.S).group(0)
    assert "3 of 4 students" in t1_row  # ada, bob and cy; the TA's own tries would not count
    assert re.search(r"\(closed\)</span>.*?0 of 4 students", page, re.S)
