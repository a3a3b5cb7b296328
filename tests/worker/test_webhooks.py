"""Webhooks end to end through real Celery workers on Redis and PostgreSQL, to a real receiver
on 127.0.0.1 that verifies with `standardwebhooks` and deduplicates on webhook-id."""

import json

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import MessageStatus, WebhookAttempt, WebhookMessage
from app.services import webhook_endpoints
from app.services.submissions import submit
from tests.support.servers import CORRECT, WRONG, wait_for
from tests.support.waiting import wait_for_worker, wait_until_done

# Compressed retries (NABLAGRADE_WEBHOOK_RETRY_SCHEDULE): one per second for half a minute.
LIVE = {"NABLAGRADE_WEBHOOK_ALLOW_PRIVATE": "1", "NABLAGRADE_WEBHOOK_RETRY_SCHEDULE": ",".join(["1"] * 30),
        "NABLAGRADE_WEBHOOK_SWEEP_GRACE": "1"}


@pytest.fixture
def allow_loopback(app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)


def messages(event_type: str) -> list[WebhookMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(WebhookMessage).where(WebhookMessage.event_type == event_type)
                                   .order_by(WebhookMessage.id)))


def test_a_graded_submission_makes_exactly_one_verified_graded_webhook(student, course, services, receiver,
                                                                       allow_loopback):
    endpoint, secret = webhook_endpoints.create(course, receiver.url, ["submission.received", "submission.graded"])
    receiver.secrets = [secret]
    right = submit(student, "T101", "t1", CORRECT.encode(), "right.py").id
    wrong = submit(student, "T101", "t1", WRONG.encode(), "wrong.py").id
    services.worker("w1", **LIVE)
    graded = {s.id: s for s in wait_until_done([right, wrong], timeout=90)}
    wait_for(lambda: len(receiver.of_type("submission.graded")) >= 2, 60, "two submission.graded webhooks")
    wait_for(lambda: len(receiver.of_type("submission.received")) >= 2, 30, "two submission.received webhooks")

    assert all(r.verified for r in receiver.requests) and len(receiver.requests) == 4
    by_submission = {r.payload["data"]["submission_id"]: r.payload for r in receiver.of_type("submission.graded")}
    assert set(by_submission) == {right, wrong}
    for submission_id, payload in by_submission.items():
        data = payload["data"]
        assert data["score_given"] == graded[submission_id].score and data["score_maximum"] == 25
        assert (data["activity_progress"], data["grading_progress"]) == ("Completed", "FullyGraded")
    # The worker records a delivery once the receiver has answered, so a moment after the
    # receiver counted the request.
    wait_for(lambda: [m.status for m in messages("submission.graded")] == [MessageStatus.DELIVERED] * 2, 30,
             "both submission.graded messages recorded as delivered")


def test_a_receiver_down_then_up_gets_each_message_once_even_when_the_worker_dies(student, course, services,
                                                                                    receiver, redis_server,
                                                                                    allow_loopback):
    endpoint, secret = webhook_endpoints.create(course, receiver.url, ["submission.graded"])
    receiver.secrets = [secret]
    receiver.stop()  # the receiver is down
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "right.py").id
    worker = services.worker("w1", **LIVE)
    services.beat(**LIVE)
    wait_until_done([submission_id], timeout=90)

    def failed_attempts() -> int:
        db.session.rollback()
        return len(list(db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.success.is_(False)))))

    wait_for(lambda: failed_attempts() >= 2, 60, "two failed attempts while the receiver is down")
    # The worker dies with the retry it scheduled, and the broker loses what it held.
    worker.kill()
    redis_server.client().delete("webhooks", "unacked", "unacked_index")
    receiver.start()  # the receiver comes back on the same address
    services.worker("w2", **LIVE)
    wait_for_worker("w2")
    wait_for(lambda: receiver.of_type("submission.graded"), 90, "the webhook after the receiver came back")

    [message] = messages("submission.graded")
    wait_for(lambda: messages("submission.graded")[0].status is MessageStatus.DELIVERED, 30, "the message delivered")
    [got] = receiver.of_type("submission.graded")
    assert got.verified and got.msg_id == message.msg_id and got.body == message.body
    assert json.loads(got.body)["data"]["submission_id"] == submission_id
    assert messages("submission.graded")[0].attempts >= 3

    # Sent again (a replay, as after an answer lost on the way back): the same id, processed once.
    webhook_endpoints.replay(course, message.id)
    wait_for(lambda: len(receiver.of_type("submission.graded")) == 2, 30, "the replayed webhook")
    assert {r.msg_id for r in receiver.of_type("submission.graded")} == {message.msg_id}
    assert len(receiver.processed_of_type("submission.graded")) == 1
