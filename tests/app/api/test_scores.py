"""The scores an LMS reconciles with: the score that counts per student, paged, filtered by
when it changed; and the assignments listing's pages."""

import datetime as dt

from app.extensions import db
from app.models import Role, Submission, SubmissionStatus, utcnow
from app.services import grading, people
from tests.app.api.test_auth import assert_problem
from tests.support.servers import CORRECT


def graded(submission_id: int, score: float, when: dt.datetime, raw: float | None = None) -> None:
    submission = db.session.get(Submission, submission_id)
    submission.status, submission.score, submission.max_score = SubmissionStatus.GRADED, score, 25.0
    submission.raw_score = raw if raw is not None else score
    submission.result, submission.graded_at = {"score": score, "problems": []}, when
    db.session.commit()
    submission.updated_at = when  # as if it had happened then
    db.session.commit()


def send(client, bearer, assignment_id, external_id):
    response = client.post(f"/api/v1/assignments/{assignment_id}/submissions", headers=bearer,
                           json={"code": CORRECT, "external_user_id": external_id})
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def walk(client, bearer, url, limit):
    """Every row of a listing, page by page; asserts the envelope on the way."""
    rows, cursor, pages = [], None, 0
    while True:
        page = client.get(url + ("&" if "?" in url else "?") + f"limit={limit}" + (f"&cursor={cursor}" if cursor else ""),
                          headers=bearer)
        assert page.status_code == 200, page.get_json()
        body = page.get_json()
        assert set(body) == {"data", "next_cursor"} and len(body["data"]) <= limit
        rows += body["data"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return rows, pages


def test_each_student_has_the_score_that_counts_and_the_lms_can_page_and_poll(client, bearer, course):
    t1 = {a["name"]: a["id"] for a in client.get("/api/v1/assignments", headers=bearer).get_json()["data"]}["t1"]
    base = utcnow() - dt.timedelta(hours=1)
    a1, a2 = send(client, bearer, t1, "a"), send(client, bearer, t1, "a")
    b1 = send(client, bearer, t1, "b")
    c1 = send(client, bearer, t1, "c")
    graded(a1, 25.0, base + dt.timedelta(minutes=1))
    graded(a2, 10.0, base + dt.timedelta(minutes=5))  # the latest graded counts, even if lower
    graded(b1, 20.0, base + dt.timedelta(minutes=3), raw=25.0)
    failed = db.session.get(Submission, c1)
    failed.status, failed.errored_at, failed.updated_at = SubmissionStatus.ERROR, base, base + dt.timedelta(minutes=2)
    db.session.commit()
    web_only, _ = people.get_or_create_user("web@example.edu", "Web Only", Role.STUDENT, "pw")
    people.enrol(web_only, course, Role.STUDENT)
    db.session.commit()

    rows, pages = walk(client, bearer, f"/api/v1/assignments/{t1}/scores", limit=2)
    assert pages == 2
    by = {row["external_user_id"]: row for row in rows}
    assert list(by) == ["c", "b", "a", None]  # oldest change first; the new enrolment last
    assert (by["a"]["score_given"], by["a"]["attempt"], by["a"]["attempts"], by["a"]["submission_id"]) == (10.0, 2, 2, a2)
    assert (by["a"]["activity_progress"], by["a"]["grading_progress"]) == ("Completed", "FullyGraded")
    assert (by["b"]["score_given"], by["b"]["penalty"], by["b"]["score_maximum"]) == (20.0, 5.0, 25.0)
    assert (by["c"]["score_given"], by["c"]["grading_progress"], by["c"]["latest_status"]) == (None, "Failed", "error")
    assert (by[None]["email"], by[None]["score_given"], by[None]["grading_progress"]) == ("web@example.edu", None,
                                                                                         "NotReady")
    stamps = [dt.datetime.fromisoformat(row["updated_at"]) for row in rows]
    assert stamps == sorted(stamps)

    since = base + dt.timedelta(minutes=3)
    recent, _ = walk(client, bearer, f"/api/v1/assignments/{t1}/scores?updated_since={since.isoformat()}".replace(
        "+", "%2B"), limit=1)
    assert [row["external_user_id"] for row in recent] == ["a", None]
    # A regrade changes the standing: it shows up in the next poll.
    grading.regrade_submission(b1)
    again, _ = walk(client, bearer, f"/api/v1/assignments/{t1}/scores?updated_since={since.isoformat()}".replace(
        "+", "%2B"), limit=50)
    assert {row["external_user_id"] for row in again} == {"a", None, "b"}
    assert next(r for r in again if r["external_user_id"] == "b")["latest_status"] == "queued"
    # The cursor is bound to its filters.
    first = client.get(f"/api/v1/assignments/{t1}/scores?limit=1", headers=bearer).get_json()
    assert_problem(client.get(f"/api/v1/assignments/{t1}/scores?limit=1&cursor={first['next_cursor']}&updated_since="
                              f"{since.isoformat()}".replace("+", "%2B"), headers=bearer), 400, "invalid-cursor")


def test_scores_of_an_assignment_of_another_course_are_not_found(client, bearer, make_token, other_course):
    theirs = client.get("/api/v1/assignments", headers={"Authorization": f"Bearer {make_token(course_code='B202')}"})
    assignment = theirs.get_json()["data"][0]["id"]
    assert_problem(client.get(f"/api/v1/assignments/{assignment}/scores", headers=bearer), 404)


def test_assignments_are_listed_with_their_policies_page_by_page(client, bearer):
    rows, pages = walk(client, bearer, "/api/v1/assignments", limit=3)
    assert pages == 2 and len({row["id"] for row in rows}) == len(rows) == 4
    by = {row["name"]: row for row in rows}
    assert by["t1"]["max_score"] == 25 and [p["id"] for p in by["t1"]["problems"]] == ["sigmoid", "softmax"]
    assert by["penalised"]["policies"] == {"late_policy": "penalty", "late_penalty_per_day": 0.1,
                                           "max_submissions_per_day": None, "score_counts": "latest"}
    assert by["limited"]["policies"]["max_submissions_per_day"] == 2 and by["closed"]["due"] is not None
    one = client.get(f"/api/v1/assignments/{by['t1']['id']}", headers=bearer)
    assert one.status_code == 200 and one.get_json() == by["t1"]


def test_scores_follow_a_best_policy(client, bearer, course):
    from sqlalchemy import select

    from app.models import Assignment, ScorePolicy

    t1 = {a["name"]: a["id"] for a in client.get("/api/v1/assignments", headers=bearer).get_json()["data"]}["t1"]
    base = utcnow() - dt.timedelta(hours=1)
    a1, a2 = send(client, bearer, t1, "a"), send(client, bearer, t1, "a")
    graded(a1, 25.0, base + dt.timedelta(minutes=1))
    graded(a2, 10.0, base + dt.timedelta(minutes=5))
    db.session.scalar(select(Assignment).where(Assignment.id == t1)).score_policy = ScorePolicy.BEST
    db.session.commit()
    row = client.get(f"/api/v1/assignments/{t1}/scores", headers=bearer).get_json()["data"][0]
    assert (row["score_given"], row["attempt"], row["attempts"], row["submission_id"]) == (25.0, 1, 2, a1)
    policies = client.get(f"/api/v1/assignments/{t1}", headers=bearer).get_json()["policies"]
    assert policies["score_counts"] == "best"
