"""The services behind the staff pages: dashboard statistics, overrides, the students table and
the streamed exports."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models import ScoreOverride, SubmissionStatus
from app.services import assignments, class_stats, gradebook, grading, overrides, results
from app.services.overrides import OverrideRefused
from tests.app.staff.conftest import OUTER_ONLY, grade_now


def t1(course):
    return assignments.get_assignment(course.code, "t1")


def test_the_dashboard_counts_scores_pass_rates_and_what_the_class_gets_wrong(course, classroom):
    stats = class_stats.dashboard(t1(course))
    assert (stats.students, stats.submitted, stats.graded) == (4, 3, 3)
    assert sum(stats.histogram["counts"]) == 3 and stats.histogram["counts"][-1] == 2  # ada and bob: 25 of 25
    by_id = {p.id: p for p in stats.problems}
    assert by_id["softmax"].passed == 2 and by_id["sigmoid"].passed == 2
    assert stats.pass_rates["values"] == pytest.approx([200 / 3, 200 / 3], abs=1e-3)
    softmax = stats.mistakes["softmax"]
    # bob and cy both handed in -s s^T at some point: 2 of the 3 who submitted.
    assert [(s.label, s.count, s.of) for s in softmax] == [("outer_only", 2, 3)]
    assert round(softmax[0].percent) == 67 and "without the diag(s) term" in softmax[0].text
    assert [(s.label, s.count) for s in stats.diagnoses["sigmoid"]] == [("sign_flipped", 2)]
    # Only cy's counted submission still fails softmax: its value checks, every one.
    checks = by_id["softmax"].checks
    assert all(seen == 3 for _, seen in checks.values()) and checks["type"] == [3, 3]
    assert min(passed for passed, _ in checks.values()) == 2
    assert stats.latency.samples == 4 and stats.latency.p50 is not None and stats.latency.p95 >= stats.latency.p50
    assert (stats.queue.queued, stats.queue.running) == (0, 0)
    assert stats.timeline is not None and sum(stats.timeline["series"][0]["values"]) == 4


def test_an_override_counts_everywhere_is_recorded_and_survives_a_regrade(course, classroom, app_context):
    assignment = t1(course)
    cy = classroom["cy"]
    counted = results.standings(assignment, cy)[0].counted
    graded_score = counted.score
    staff = classroom["ada"]  # any user may be recorded as the author; routes decide who may
    with pytest.raises(OverrideRefused, match="comment"):
        overrides.set_override(counted, 20, "  ", by=staff)
    with pytest.raises(OverrideRefused, match="from 0 to 25"):
        overrides.set_override(counted, 26, "too generous", by=staff)
    with pytest.raises(OverrideRefused, match="from 0 to 25"):
        overrides.set_override(counted, float("nan"), "not a number", by=staff)
    assert db.session.query(ScoreOverride).count() == 0

    record = overrides.set_override(counted, 20, "the derivation on paper was right", by=staff)
    assert (record.previous_score, record.score, record.created_by_id) == (graded_score, 20.0, staff.id)
    standing = results.changed_since(assignment)  # what the API's /scores reads
    assert {s.user.email: s.final for s in standing}["cy@example.edu"] == 20.0
    assert {r.user.email: r.score for r in gradebook.student_rows(assignment)}["cy@example.edu"] == 20.0

    grading.regrade_submission(counted.id)
    assert grade_now(counted.id).status is SubmissionStatus.GRADED
    after = results.standings(assignment, cy)[0]
    assert after.counted.grade_count == 2 and after.counted.score == graded_score  # the regrade wrote its own score
    assert after.final == 20.0 and after.overridden and after.penalty == 0.0  # and the override still counts

    overrides.set_override(after.counted, None, "back to the graded score", by=staff)
    assert results.standings(assignment, cy)[0].final == graded_score
    assert [(o.score, o.previous_score) for o in overrides.history(after.counted)] == [(None, 20.0),
                                                                                      (20.0, graded_score)]
    with pytest.raises(OverrideRefused, match="no override"):
        overrides.set_override(after.counted, None, "again", by=staff)


def test_an_ungraded_submission_cannot_be_overridden(course, enrol):
    from app.services.submissions import submit

    student = enrol("queued@example.edu")
    queued = submit(student, course.code, "t1", OUTER_ONLY.encode(), "hw.py")
    with pytest.raises(OverrideRefused, match="no result yet"):
        overrides.set_override(queued, 5, "early", by=student)


def test_the_students_table_filters_and_sorts_on_the_server(course, classroom):
    assignment = t1(course)
    emails = [r.user.email for r in gradebook.table(assignment, sort="score", descending=True)]
    # Full marks first (by email), then cy, and dee (no score) last in either direction.
    assert emails == ["ada@example.edu", "bob@example.edu", "cy@example.edu", "dee@example.edu"]
    assert [r.user.email for r in gradebook.table(assignment, sort="score")][-1] == "dee@example.edu"
    assert [r.user.email for r in gradebook.table(assignment, state="missing")] == ["dee@example.edu"]
    assert [r.user.email for r in gradebook.table(assignment, state="below")] == ["cy@example.edu"]
    assert [r.user.email for r in gradebook.table(assignment, q="BOB")] == ["bob@example.edu"]
    bob = gradebook.table(assignment, q="bob")[0]
    assert (bob.attempts, bob.best, bob.score, bob.counted.attempt) == (2, 25.0, 25.0, 2)
    assert [r.user.email for r in gradebook.table(assignment, sort="attempts", descending=True)][0] == "bob@example.edu"
    # Unknown keys fall back to the defaults rather than failing.
    assert len(gradebook.table(assignment, state="bogus", sort="bogus")) == 4


def _rows(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(chunks))))


def test_gradebook_layouts(course, classroom):
    assignment = t1(course)
    generic = _rows(gradebook.gradebook_csv(assignment, "generic"))
    header, body = generic[0], {row[0]: dict(zip(generic[0], row, strict=True)) for row in generic[1:]}
    assert header[:5] == ["email", "name", "external_user_id", "sis_id", "score"]
    assert body["cy@example.edu"]["problem:sigmoid"] == "4" and body["ada@example.edu"]["score"] == "25"
    assert body["dee@example.edu"]["score"] == "" and body["dee@example.edu"]["status"] == "none"
    canvas = _rows(gradebook.gradebook_csv(assignment, "canvas"))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment.title]
    assert canvas[1][0].strip() == "Points Possible" and canvas[1][-1] == "25"
    assert ["Ada Tester", "", "", "ada@example.edu", "", "25"] in canvas
    moodle = _rows(gradebook.gradebook_csv(assignment, "moodle"))
    assert moodle[0] == ["First name", "Last name", "ID number", "Email address", f"{assignment.title} (Real)"]
    assert ["Cy", "Tester", "", "cy@example.edu", body["cy@example.edu"]["score"]] in moodle
    with pytest.raises(ValueError):
        list(gradebook.gradebook_csv(assignment, "excel"))


def test_item_analysis_has_one_line_per_student_problem_and_check(course, classroom):
    rows = _rows(gradebook.item_analysis_csv(t1(course)))
    header = rows[0]
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert {line["email"] for line in lines} == {"ada@example.edu", "bob@example.edu", "cy@example.edu"}
    cy = [line for line in lines if line["email"] == "cy@example.edu" and line["problem"] == "softmax"]
    assert cy and any(line["passed"] == "no" and line["diagnosis"] == "wrong_value" for line in cy)
    assert {line["visible"] for line in cy} == {"yes", "no"}  # hidden checks are in the analysis too


def test_exports_fetch_students_in_batches_through_a_streaming_cursor(course, classroom, enrol):
    for n in range(5):
        enrol(f"extra{n}@example.edu")
    assignment = t1(course)
    streamed, submission_queries = [], []

    def record(conn, cursor, statement, parameters, context, executemany):
        if "FROM users" in statement and "JOIN enrolments" in statement:
            streamed.append(bool(context.execution_options.get("stream_results")))
        if "FROM submissions" in statement:
            submission_queries.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        chunks = gradebook.gradebook_csv(assignment, "generic", batch=3)
        first = next(chunks) + next(chunks)  # the header and the first batch only
        assert len(_rows([first])) == 1 + 3
        rest = list(chunks)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert streamed == [True]  # one query for the students, on a server-side cursor
    assert len(rest) == 2  # 9 students in batches of 3: each batch its own chunk
    # Per batch the attempts without their documents, then the counted ones' documents (only the
    # first batch, ada, bob and cy, has any): never a query per row.
    assert len(submission_queries) == 2 + 1 + 1
    assert len(_rows([first, *rest])) == 1 + 9


def test_under_the_best_policy_an_overridden_attempt_competes_with_its_override(course, classroom):
    from app.models import ScorePolicy

    assignment = t1(course)
    assignment.score_policy = ScorePolicy.BEST
    db.session.commit()
    bob = classroom["bob"]
    first, second = gradebook.rows_for_student(assignment, bob).submissions  # attempt order
    assert first.score < second.score == 25
    assert results.standings(assignment, bob)[0].counted.id == second.id  # 25 beats the first attempt
    overrides.set_override(second, first.score / 2, "copied", by=bob)
    assert results.standings(assignment, bob)[0].counted.id == first.id  # now the first attempt is higher
    assert results.standings(assignment, bob)[0].final == first.score


def test_the_dashboard_is_computed_again_after_any_change_and_only_then(course, classroom, hand_in, monkeypatch):
    assignment = t1(course)
    first = class_stats.dashboard(assignment)
    calls = []
    real = class_stats._class_figures
    monkeypatch.setattr(class_stats, "_class_figures", lambda a: calls.append(a.id) or real(a))
    assert class_stats.dashboard(assignment).mean == first.mean and calls == []  # unchanged: from the cache
    cy = results.standings(assignment, classroom["cy"])[0].counted
    overrides.set_override(cy, 25, "regraded by hand", by=classroom["ada"])
    assert class_stats.dashboard(assignment).mean == 25.0 and len(calls) == 1
    hand_in(classroom["dee"], OUTER_ONLY)
    assert class_stats.dashboard(assignment).submitted == 4 and len(calls) == 2


def test_after_a_change_only_the_changed_documents_are_read_again(course, classroom, hand_in, monkeypatch):
    assignment = t1(course)
    read = []
    real = class_stats.summarise
    monkeypatch.setattr(class_stats, "summarise", lambda document, *rest: read.append(1) or real(document, *rest))
    class_stats._summaries.clear()
    before = class_stats.dashboard(assignment)
    assert len(read) == 4  # every graded submission once
    hand_in(classroom["dee"], OUTER_ONLY)
    after = class_stats.dashboard(assignment)
    assert len(read) == 5  # only dee's new one
    assert [(s.label, s.count) for s in after.mistakes["softmax"]] == [("outer_only", 3)]
    assert (before.submitted, after.submitted) == (3, 4)


def test_the_apis_scores_report_an_override_and_its_change(app_context, course, classroom):
    import datetime as dt

    from app.services import tokens

    assignment = t1(course)
    _, secret = tokens.create(course.code, "lms", [tokens.RESULTS_READ])
    client = app_context.test_client()
    headers = {"Authorization": f"Bearer {secret}"}

    def scores(**query):
        response = client.get(f"/api/v1/assignments/{assignment.id}/scores", headers=headers, query_string=query)
        assert response.status_code == 200, response.get_json()
        return {row["email"]: row for row in response.get_json()["data"]}

    graded = scores()["cy@example.edu"]["score_given"]
    mark = dt.datetime.now(dt.UTC)
    counted = results.standings(assignment, classroom["cy"])[0].counted
    overrides.set_override(counted, 23.5, "oral exam", by=classroom["ada"])
    changed = scores(updated_since=mark.isoformat())
    assert list(changed) == ["cy@example.edu"]  # an LMS polling for changes sees the override
    assert (changed["cy@example.edu"]["score_given"], changed["cy@example.edu"]["penalty"]) == (23.5, 0.0)
    assert graded != 23.5


def test_the_deadline_chart_counts_submissions_made_weeks_before_the_due_date(course, classroom, app_context):
    # The demo seeds hw1 a week ahead: its first submissions were outside a week-capped window.
    import datetime as dt

    assignment = t1(course)
    assignment.due = dt.datetime.now(dt.UTC) + dt.timedelta(days=40)
    db.session.commit()
    chart = class_stats.timeline(assignment)
    assert chart is not None and sum(chart["series"][0]["values"]) == 4
    assert len(chart["x"]) <= class_stats.MAX_TIMELINE_BINS
    from sqlalchemy import select

    from app.models import Submission
    first = min(db.session.scalars(select(Submission.submitted_at).where(Submission.assignment_id == assignment.id)))
    assert chart["x"][0] <= first.replace(tzinfo=first.tzinfo or dt.UTC).timestamp()
