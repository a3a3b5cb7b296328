"""Sending submissions through the API: both body forms, the upload rules as problems,
students named by the LMS, idempotency, and reading status and results."""

import datetime as dt
import io

import pytest
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Enrolment, IdempotencyKey, Role, Submission, SubmissionStatus, User, utcnow
from app.services import integrations, people, tokens
from tests.app.api.test_auth import assert_problem
from tests.support.servers import CORRECT


@pytest.fixture
def ids(client, bearer, course):
    return {a["name"]: a["id"] for a in client.get("/api/v1/assignments", headers=bearer).get_json()["data"]}


def post(client, bearer, assignment_id, key=None, **json):
    headers = dict(bearer) | ({"Idempotency-Key": key} if key else {})
    return client.post(f"/api/v1/assignments/{assignment_id}/submissions", headers=headers, json=json)


def count(model=Submission) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_json_submission_is_accepted_and_its_student_created(client, bearer, ids, redis_server, course):
    response = post(client, bearer, ids["t1"], code=CORRECT, external_user_id="canvas-7", name="Ada L.")
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v1/submissions/{body['id']}"
    assert body["status"] == "queued" and body["attempt"] == 1 and body["external_user_id"] == "canvas-7"
    assert body["assignment_id"] == ids["t1"] and body["max_score"] == 25 and body["score"] is None
    assert (body["activity_progress"], body["grading_progress"]) == ("Submitted", "Pending")
    assert redis_server.client().llen("grading") == 1
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.external_user_id == "canvas-7"))
    assert enrolment.role is Role.STUDENT and enrolment.course_id == course.id
    assert enrolment.created_by_token.name == "lms" and enrolment.user.name == "Ada L."
    assert enrolment.user.email.endswith(".nablagrade.invalid") and enrolment.user.password_hash is None
    again = post(client, bearer, ids["t1"], code=CORRECT, external_user_id="canvas-7")
    assert again.get_json()["attempt"] == 2 and count(User) == 1


def test_a_multipart_submission_keeps_its_file_name(client, bearer, ids):
    response = client.post(f"/api/v1/assignments/{ids['t1']}/submissions", headers=bearer,
                           data={"file": (io.BytesIO(CORRECT.encode()), "../../hw1 final.py"),
                                 "external_user_id": "m-1"}, content_type="multipart/form-data")
    assert response.status_code == 202, response.get_json()
    assert db.session.get(Submission, response.get_json()["id"]).filename == "hw1 final.py"


def test_an_lms_id_links_to_the_student_the_email_or_the_roster_names(client, bearer, ids, course, student):
    linked = post(client, bearer, ids["t1"], code=CORRECT, external_user_id="lms-1", email="Student@Example.edu")
    assert linked.status_code == 202
    assert db.session.get(Submission, linked.get_json()["id"]).user_id == student.id
    taken = post(client, bearer, ids["t1"], code=CORRECT, external_user_id="lms-2", email="student@example.edu")
    assert_problem(taken, 409, "external-user-conflict")
    roster, _ = people.get_or_create_user("sis@example.edu", "From the roster", Role.STUDENT, None)
    roster.external_id = "S-1234"
    people.enrol(roster, course, Role.STUDENT)
    db.session.commit()
    by_sis_id = post(client, bearer, ids["t1"], code=CORRECT, external_user_id="S-1234")
    assert db.session.get(Submission, by_sis_id.get_json()["id"]).user_id == roster.id
    assert count(User) == 2


@pytest.mark.parametrize(("assignment", "body", "status", "slug", "words"), [
    ("t1", {"code": "x = 1\n" * 50_000}, 413, "file-too-large", "256 KiB"),
    ("t1", {"code": "   \n"}, 422, "unreadable-file", "is empty"),
    ("t1", {"code": "\x00binary"}, 422, "unreadable-file", "binary"),
    ("closed", {"code": CORRECT}, 422, "past-due", "does not accept late submissions"),
    ("t1", {"code": CORRECT, "email": "not an address"}, 422, "invalid-request", "email"),
    ("t1", {"code": 5}, 422, "invalid-request", "code (json)"),
    ("t1", {"code": CORRECT, "external_user_id": ""}, 422, "invalid-request", "external_user_id (json)"),
    ("t1", {"code": CORRECT, "external_user_id": "a\x00b"}, 422, "invalid-request", "external_user_id (json)"),
    ("t1", {"code": CORRECT, "name": "Ada\x00"}, 422, "invalid-request", "name (json)"),
])
def test_the_upload_rules_are_clear_problems_and_store_nothing(client, bearer, ids, redis_server, assignment,
                                                               body, status, slug, words):
    request = {"external_user_id": "u-9"} | body
    problem = assert_problem(post(client, bearer, ids[assignment], **request), status, slug)
    assert words in problem["detail"]
    assert count() == 0 and count(User) == 0 and redis_server.client().llen("grading") == 0


def test_the_daily_limit_is_a_429_with_the_time_it_resets(client, bearer, ids):
    for _ in range(2):
        assert post(client, bearer, ids["limited"], code=CORRECT, external_user_id="u").status_code == 202
    refused = post(client, bearer, ids["limited"], code=CORRECT, external_user_id="u")
    problem = assert_problem(refused, 429, "daily-limit")
    midnight = (utcnow() + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    assert dt.datetime.fromisoformat(problem["resets_at"]) == midnight
    assert abs(int(refused.headers["Retry-After"]) - (midnight - utcnow()).total_seconds()) < 5


def test_wrong_bodies_are_problems(client, bearer, ids):
    url = f"/api/v1/assignments/{ids['t1']}/submissions"
    assert_problem(client.post(url, headers=bearer, data="code", content_type="text/plain"), 415,
                   "unsupported-media-type")
    assert_problem(client.post(url, headers=bearer, data="{not json", content_type="application/json"), 422,
                   "invalid-request")
    assert_problem(client.post(url, headers=bearer, json=[1, 2]), 422, "invalid-request")
    missing = client.post(url, headers=bearer, data={"external_user_id": "x"}, content_type="multipart/form-data")
    assert "file" in assert_problem(missing, 422, "invalid-request")["detail"]
    # Bytes as they are: the test client would spool an encoded form of this size to a file it never closes.
    huge = client.post(url, headers=bearer, data=b"x" * (2 << 20), content_type="multipart/form-data; boundary=b")
    assert "1 MiB" in assert_problem(huge, 413)["detail"]
    assert_problem(post(client, bearer, 999999, code=CORRECT, external_user_id="x"), 404)
    assert count() == 0


def test_a_retried_post_returns_the_same_submission_and_a_reused_key_is_a_409(client, bearer, ids, redis_server):
    first = post(client, bearer, ids["limited"], key="retry-1", code=CORRECT, external_user_id="u1")
    assert first.status_code == 202 and "Idempotent-Replayed" not in first.headers
    second = post(client, bearer, ids["limited"], key="retry-1", code=CORRECT, external_user_id="u1")
    assert second.status_code == 202 and second.headers["Idempotent-Replayed"] == "true"
    assert second.get_json()["id"] == first.get_json()["id"] and second.headers["Location"] == first.headers["Location"]
    assert count() == 1 and redis_server.client().llen("grading") == 1
    # A retry is answered even when the rules would now refuse a new submission (here the daily limit).
    assert post(client, bearer, ids["limited"], code=CORRECT, external_user_id="u1").status_code == 202
    assert post(client, bearer, ids["limited"], code=CORRECT, external_user_id="u1").status_code == 429
    assert post(client, bearer, ids["limited"], key="retry-1", code=CORRECT, external_user_id="u1").status_code == 202
    for changed in ({"code": CORRECT + "\n# v2", "external_user_id": "u1"}, {"code": CORRECT, "external_user_id": "u2"}):
        assert_problem(post(client, bearer, ids["limited"], key="retry-1", **changed), 409, "idempotency-key-reused")
    assert_problem(post(client, bearer, ids["t1"], key="retry-1", code=CORRECT, external_user_id="u1"), 409,
                   "idempotency-key-reused")
    assert count() == 2 and count(IdempotencyKey) == 1


def test_keys_belong_to_a_token_and_a_refused_request_keeps_no_key(client, bearer, make_token, ids):
    other = {"Authorization": f"Bearer {make_token(name='other')}"}
    a = post(client, bearer, ids["t1"], key="k", code=CORRECT, external_user_id="u1").get_json()["id"]
    b = post(client, other, ids["t1"], key="k", code=CORRECT, external_user_id="u1").get_json()["id"]
    assert a != b
    assert post(client, bearer, ids["closed"], key="late", code=CORRECT, external_user_id="u1").status_code == 422
    assert count(IdempotencyKey) == 2
    bad = post(client, bearer, ids["t1"], key="has space", code=CORRECT, external_user_id="u1")
    assert "Idempotency-Key" in assert_problem(bad, 422, "invalid-request")["detail"]


def test_status_has_an_etag_and_a_result_waits_for_grading(client, bearer, make_token, ids):
    made = post(client, bearer, ids["penalised"], code=CORRECT, external_user_id="u1").get_json()
    url = f"/api/v1/submissions/{made['id']}"
    first = client.get(url, headers=bearer)
    assert first.status_code == 200 and first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]
    assert first.get_json() == {**made, "updated_at": first.get_json()["updated_at"]}
    same = client.get(url, headers=bearer | {"If-None-Match": first.headers["ETag"]})
    assert same.status_code == 304 and same.data == b""
    waiting = assert_problem(client.get(f"{url}/result", headers=bearer), 409, "not-graded")
    assert "queued" in waiting["detail"]

    submission = db.session.get(Submission, made["id"])
    document = {"score": 20.0, "raw_score": 25.0, "max_score": 25.0, "passed": True, "engine_version": "x",
                "problems": [{"id": "sigmoid", "title": "Sigmoid", "function": "sigmoid_grad", "score": 10.0,
                              "max_score": 10.0, "passed": True, "diagnosis": None, "notes": [], "internal": 1,
                              "checks": [{"name": "values", "category": "value", "passed": True, "diagnosis": None,
                                          "message": "ok", "visible": False, "score": 10.0, "max_score": 10.0,
                                          "details": {"max_rel_error": "nan"}}]}]}
    submission.status, submission.score, submission.raw_score, submission.max_score = \
        SubmissionStatus.GRADED, 20.0, 25.0, 25.0
    submission.result, submission.graded_at, submission.engine_version = document, utcnow(), "x"
    db.session.commit()
    changed = client.get(url, headers=bearer | {"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.get_json()["score"] == 20.0
    assert changed.get_json()["grading_progress"] == "FullyGraded" and changed.headers["ETag"] != first.headers["ETag"]
    result = client.get(f"{url}/result", headers=bearer)
    assert result.status_code == 200
    body = result.get_json()
    assert (body["score"], body["raw_score"], body["max_score"], body["late_days"]) == (20.0, 25.0, 25.0, 2)
    check = body["problems"][0]["checks"][0]
    assert check["visible"] is False and check["details"] == {"max_rel_error": "nan"}
    assert "internal" not in body["problems"][0]  # only the documented fields leave
    assert client.get(f"{url}/result", headers=bearer | {"If-None-Match": result.headers["ETag"]}).status_code == 304
    reader = {"Authorization": f"Bearer {make_token(tokens.RESULTS_READ)}"}
    assert client.get(url, headers=reader).get_json()["external_user_id"] == "u1"


def test_idempotency_keys_past_their_time_to_live_are_pruned(client, bearer, ids, app_context):
    first = post(client, bearer, ids["t1"], key="old", code=CORRECT, external_user_id="u1").get_json()["id"]
    post(client, bearer, ids["t1"], key="fresh", code=CORRECT + "\n# 2", external_user_id="u1")
    ttl = dt.timedelta(seconds=app_context.config["IDEMPOTENCY_KEY_TTL"])
    db.session.execute(update(IdempotencyKey).where(IdempotencyKey.key == "old")
                       .values(created_at=utcnow() - ttl - dt.timedelta(minutes=1)))
    db.session.commit()
    assert integrations.prune_idempotency_keys() == 1
    assert set(db.session.scalars(select(IdempotencyKey.key))) == {"fresh"}
    # The pruned key is a new request now; the fresh one still replays.
    again = post(client, bearer, ids["t1"], key="old", code=CORRECT, external_user_id="u1")
    assert again.status_code == 202 and again.get_json()["id"] != first
    assert post(client, bearer, ids["t1"], key="fresh", code=CORRECT + "\n# 2",
                external_user_id="u1").headers["Idempotent-Replayed"] == "true"
