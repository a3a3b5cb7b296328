"""The outbox: an event is stored once per subscribed endpoint, in the transaction of the change
that causes it, as the exact bytes every attempt will send."""

import json

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, MessageStatus, Role, ScorePolicy, Submission, SubmissionStatus, WebhookMessage
from app.services import courses, grading, people, submissions, webhook_endpoints, webhook_outbox
from app.services.webhook_events import EVENTS
from tests.support.servers import CORRECT

DOCUMENT = {"score": 20.0, "max_score": 25.0, "engine_version": "test", "problems": [], "passed": False}
ALL = list(EVENTS)


def messages(event_type: str | None = None) -> list[WebhookMessage]:
    db.session.expire_all()
    query = select(WebhookMessage).order_by(WebhookMessage.id)
    if event_type is not None:
        query = query.where(WebhookMessage.event_type == event_type)
    return list(db.session.scalars(query))


def payload(message: WebhookMessage) -> dict:
    return json.loads(message.body)


@pytest.fixture
def endpoint(course: Course):
    return webhook_endpoints.create(course, "https://lms.example.edu/hooks/ng", ALL)[0]


def graded(student, score: float = 20.0, source: str = CORRECT) -> int:
    submission_id = submissions.submit(student, "T101", "t1", source.encode(), "a.py").id
    claim = grading.claim(submission_id, f"task-{submission_id}", "w1")
    assert grading.store_result(claim, dict(DOCUMENT, score=score))
    return submission_id


def test_a_submission_stores_one_received_message_with_its_job(endpoint, student, redis_server):
    submission = submissions.submit(student, "T101", "t1", CORRECT.encode(), "a.py")
    [message] = messages()
    assert (message.event_type, message.endpoint_id, message.submission_id) == ("submission.received", endpoint.id,
                                                                                submission.id)
    assert message.status is MessageStatus.PENDING and message.msg_id.startswith("msg_")
    body = payload(message)
    assert body["type"] == "submission.received" and set(body) == {"type", "timestamp", "data"}
    data = body["data"]
    assert (data["submission_id"], data["assignment_name"], data["attempt"]) == (submission.id, "t1", 1)
    assert (data["score_given"], data["score_maximum"]) == (None, 25.0)
    assert (data["activity_progress"], data["grading_progress"]) == ("Submitted", "Pending")
    assert data["result_url"].endswith(f"/api/v1/submissions/{submission.id}/result")
    assert EVENTS["submission.received"].schema().validate(body) == {}
    assert redis_server.client().llen("webhooks") == 1  # its delivery job, sent after the commit


def test_nothing_is_stored_or_sent_when_the_change_rolls_back(endpoint, student, redis_server):
    submissions.stage(student, "T101", "t1", CORRECT.encode(), "a.py")
    db.session.rollback()
    assert messages() == [] and redis_server.client().llen("webhooks") == 0
    with pytest.raises(submissions.UnreadableFile):
        submissions.submit(student, "T101", "t1", b"", "a.py")
    db.session.rollback()
    assert messages() == []


def test_only_enabled_subscribed_endpoints_of_the_course_get_the_event(course, student):
    graded_only = webhook_endpoints.create(course, "https://a.example.edu/h", ["submission.graded"])[0]
    received = webhook_endpoints.create(course, "https://b.example.edu/h", ["submission.received"])[0]
    off = webhook_endpoints.create(course, "https://c.example.edu/h", ALL)[0]
    webhook_endpoints.update(course, off.id, enabled=False)
    other = courses.get_or_create_course("B202", "Another course")
    db.session.commit()
    webhook_endpoints.create(other, "https://d.example.edu/h", ALL)
    graded(student)
    assert [(m.event_type, m.endpoint_id) for m in messages()] == [("submission.received", received.id),
                                                                   ("submission.graded", graded_only.id)]


def test_a_stored_result_makes_exactly_one_graded_message(endpoint, student):
    submission_id = submissions.submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    first = grading.claim(submission_id, "task-A", "w1")
    again = grading.claim(submission_id, "task-A", "w1")  # its redelivery supersedes the first run
    assert grading.store_result(first, DOCUMENT) is False
    assert grading.store_result(again, DOCUMENT) is True
    assert grading.store_result(again, DOCUMENT) is False
    [message] = messages("submission.graded")
    data = payload(message)["data"]
    assert (data["submission_id"], data["score_given"], data["score_maximum"]) == (submission_id, 20.0, 25.0)
    assert (data["activity_progress"], data["grading_progress"]) == ("Completed", "FullyGraded")
    assert data["graded_at"] is not None
    assert EVENTS["submission.graded"].schema().validate(payload(message)) == {}


def test_an_endpoint_enabled_while_a_job_grades_gets_its_result(course, student):
    """The claim saw no endpoint, so the store tries its one-statement path, which must not
    store without the outbox row of an endpoint enabled since."""
    submission_id = submissions.submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    claim = grading.claim(submission_id, "task-A", "w1")
    assert claim.terms is not None and not claim.terms.endpoints
    endpoint = webhook_endpoints.create(course, "https://lms.example.edu/hooks/late", ["submission.graded"])[0]
    db.session.commit()
    assert grading.store_result(claim, DOCUMENT)
    [message] = messages("submission.graded")
    assert (message.endpoint_id, message.submission_id) == (endpoint.id, submission_id)
    assert payload(message)["data"]["score_given"] == 20.0


def test_a_system_failure_is_grading_failed_not_a_zero(endpoint, student):
    submission_id = submissions.submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    claim = grading.claim(submission_id, "task-A", "w1")
    assert grading.store_error(claim, "internal grading error: boom")
    assert messages("submission.graded") == []
    [message] = messages("submission.grading_failed")
    data = payload(message)["data"]
    assert data["score_given"] is None and data["grading_progress"] == "Failed"
    assert data["error"] == "internal grading error: boom"
    assert EVENTS["submission.grading_failed"].schema().validate(payload(message)) == {}


def test_a_regrade_that_changes_the_counted_score_is_grade_updated(endpoint, student):
    submission_id = graded(student, score=20.0)
    grading.regrade_submission(submission_id)
    claim = grading.claim(submission_id, "task-R1", "w1")
    assert grading.store_result(claim, dict(DOCUMENT, score=20.0))
    assert messages("grade.updated") == []  # the same score: nothing changed for the gradebook
    assert len(messages("submission.graded")) == 2  # but it was graded again

    grading.regrade_submission(submission_id)
    claim = grading.claim(submission_id, "task-R2", "w1")
    assert grading.store_result(claim, dict(DOCUMENT, score=23.5))
    [update] = messages("grade.updated")
    data = payload(update)["data"]
    assert (data["submission_id"], data["score_given"], data["reason"]) == (submission_id, 23.5, "regrade")
    assert data["scores_url"].endswith(f"/api/v1/assignments/{data['assignment_id']}/scores")
    assert EVENTS["grade.updated"].schema().validate(payload(update)) == {}


def test_a_regrade_of_an_older_attempt_does_not_change_what_counts(endpoint, student):
    first = graded(student, score=10.0)
    graded(student, score=20.0)  # the latest counts
    grading.regrade_submission(first)
    claim = grading.claim(first, "task-R", "w1")
    assert grading.store_result(claim, dict(DOCUMENT, score=25.0))
    assert messages("grade.updated") == []


def test_a_regrade_that_fails_takes_the_score_out_and_says_so(endpoint, student):
    submission_id = graded(student, score=20.0)
    grading.regrade_submission(submission_id)
    claim = grading.claim(submission_id, "task-R", "w1")
    assert grading.store_error(claim, "grading took longer than 240 s")
    [update] = messages("grade.updated")
    data = payload(update)["data"]
    assert data["score_given"] is None and data["submission_id"] is None


def test_counted_score_follows_the_results_rule(student):
    rows = [webhook_outbox.Standing(1, 1, SubmissionStatus.GRADED, 5.0),
            webhook_outbox.Standing(2, 2, SubmissionStatus.ERROR, None),
            webhook_outbox.Standing(3, 3, SubmissionStatus.QUEUED, None)]
    assert webhook_outbox.counted_score(rows, ScorePolicy.LATEST) == (1, 5.0)
    assert webhook_outbox.counted_score(webhook_outbox.as_before_regrade(rows, 3, 7.0), ScorePolicy.LATEST) == (3, 7.0)
    assert webhook_outbox.counted_score(webhook_outbox.as_before_regrade(rows, 3, 4.0), ScorePolicy.BEST) == (1, 5.0)


def test_a_web_student_without_an_lms_id_is_named_null(course, endpoint):
    user, _ = people.get_or_create_user("web@example.edu", "Web Student", Role.STUDENT, None)
    people.enrol(user, course, Role.STUDENT)
    db.session.commit()
    submissions.submit(user, "T101", "t1", CORRECT.encode(), "a.py")
    assert payload(messages()[0])["data"]["external_user_id"] is None
    assert db.session.scalar(select(func.count(WebhookMessage.id))) == 1


def test_a_staff_override_of_the_counted_score_is_grade_updated(endpoint, student, course):
    from app.services import overrides

    staff, _ = people.get_or_create_user("ta@example.edu", "A TA", Role.TA, None)
    people.enrol(staff, course, Role.TA)
    older = graded(student, score=10.0)
    latest = graded(student, score=20.0)
    overrides.set_override(db.session.get(Submission, older), 25.0, "re-marked by hand", by=staff)
    assert messages("grade.updated") == []  # the older attempt does not count under `latest`

    overrides.set_override(db.session.get(Submission, latest), 24.0, "partial credit for problem 2", by=staff)
    [update] = messages("grade.updated")
    data = payload(update)["data"]
    assert (data["submission_id"], data["score_given"], data["reason"]) == (latest, 24.0, "override")

    # A regrade under the override changes nothing that counts.
    grading.regrade_submission(latest)
    claim = grading.claim(latest, "task-R", "w1")
    assert grading.store_result(claim, dict(DOCUMENT, score=5.0))
    assert len(messages("grade.updated")) == 1

    overrides.set_override(db.session.get(Submission, latest), None, "override taken back", by=staff)
    back = payload(messages("grade.updated")[-1])["data"]
    assert (back["submission_id"], back["score_given"], back["reason"]) == (latest, 5.0, "override")


def test_an_endpoint_deleted_while_its_event_is_recorded_waits_for_it(endpoint, student, course):
    """Otherwise the delete could commit between reading the endpoint and inserting its message,
    and the message's foreign key would fail the submission (or the grade) itself."""
    from sqlalchemy import delete, text
    from sqlalchemy.exc import OperationalError

    from app.models import WebhookEndpoint

    endpoint_id = endpoint.id
    # Between reading the subscribers and inserting their messages: no message row holds it yet.
    assert [e.id for e in webhook_outbox.subscribed(course.id, "submission.received")] == [endpoint_id]
    with db.engine.connect() as other:
        other.execute(text("SET lock_timeout = '300ms'"))
        with pytest.raises(OperationalError, match="lock timeout"):
            other.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
        other.rollback()
    submissions.stage(student, "T101", "t1", CORRECT.encode(), "a.py")
    db.session.commit()
    assert [m.event_type for m in messages()] == ["submission.received"]
    webhook_endpoints.delete(course, endpoint_id)  # now it goes, with its messages
    assert messages() == []
