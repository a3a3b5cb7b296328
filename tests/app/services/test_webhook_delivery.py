"""Delivery attempts against a real receiver on 127.0.0.1 that verifies with `standardwebhooks`:
retries, Retry-After, 410, redirects, giving up, rotation, replay, the sweeper, and the SSRF
guard refusing before any connection is made."""

import datetime as dt
import ipaddress
import json
import socket

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import EndpointState, MessageStatus, WebhookAttempt, WebhookEndpoint, WebhookMessage, utcnow
from app.services import webhook_delivery, webhook_endpoints, webhook_targets
from app.services.webhook_events import EVENTS


@pytest.fixture
def allow_private(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_SCHEDULE", (0.05, 0.05))


@pytest.fixture
def hook(course, receiver, allow_private) -> WebhookEndpoint:
    endpoint, secret = webhook_endpoints.create(course, receiver.url, list(EVENTS))
    receiver.secrets = [secret]
    return endpoint


def send_test_message(course, endpoint: WebhookEndpoint) -> WebhookMessage:
    return webhook_endpoints.send_test(course, endpoint.id)




def due_now(message: WebhookMessage) -> None:
    """Skip the wait before the next attempt (the schedule itself is checked separately)."""
    db.session.refresh(message)
    message.next_attempt_at = utcnow()
    db.session.commit()


def attempts(message: WebhookMessage) -> list[WebhookAttempt]:
    db.session.expire_all()
    return list(db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.message_id == message.id)
                                   .order_by(WebhookAttempt.id)))


def test_a_delivery_verifies_and_is_logged(course, hook, receiver):
    message = send_test_message(course, hook)
    assert webhook_delivery.deliver(message.id) == "delivered"
    [got] = receiver.requests
    assert got.verified and got.msg_id == message.msg_id and got.body == message.body
    assert got.headers["content-type"] == "application/json"
    assert got.payload["type"] == "webhook.test" and got.payload["data"]["endpoint_id"] == hook.id
    [attempt] = attempts(message)
    assert (attempt.number, attempt.status_code, attempt.success, attempt.error) == (1, 204, True, None)
    assert attempt.latency_ms is not None and attempt.latency_ms >= 0
    db.session.refresh(message)
    assert message.status is MessageStatus.DELIVERED and message.delivered_at is not None
    assert webhook_delivery.deliver(message.id) == "skipped"  # delivered once, never again by a stray job
    assert len(receiver.requests) == 1


def test_a_receiver_down_then_up_gets_the_same_message_once(course, hook, receiver):
    message = send_test_message(course, hook)
    receiver.stop()
    assert webhook_delivery.deliver(message.id) == "retrying"
    [failed] = attempts(message)
    assert failed.status_code is None and "Connection" in failed.error
    receiver.start()  # the same port
    due_now(message)
    assert webhook_delivery.deliver(message.id) == "delivered"
    assert [r.msg_id for r in receiver.requests] == [message.msg_id]
    # A duplicate delivery (say, the answer was lost) is processed once by a receiver that dedups.
    db.session.refresh(message)
    webhook_endpoints.replay(course, message.id)
    assert webhook_delivery.deliver(message.id) == "delivered"
    assert [r.msg_id for r in receiver.requests] == [message.msg_id] * 2
    assert list(receiver.processed) == [message.msg_id]


def test_the_schedule_honours_retry_after_and_gives_up_then_disables(course, hook, receiver, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_SCHEDULE", (0.05, 0.05))
    receiver.respond = lambda got: (429, {"Retry-After": "30"}, b"slow down")
    message = send_test_message(course, hook)
    before = utcnow()
    assert webhook_delivery.deliver(message.id) == "retrying"
    db.session.refresh(message)
    assert message.next_attempt_at >= before + dt.timedelta(seconds=30)  # not the schedule's 0.05 s
    receiver.respond = lambda got: (500, {}, b"x" * 5000)
    due_now(message)
    assert webhook_delivery.deliver(message.id) == "retrying"
    db.session.refresh(message)
    assert message.next_attempt_at <= utcnow() + dt.timedelta(seconds=1)  # the schedule, with jitter
    due_now(message)
    assert webhook_delivery.deliver(message.id) == "failed"  # 1 attempt + 2 retries
    db.session.refresh(message)
    assert message.status is MessageStatus.FAILED and "gave up after 3 attempts" in message.last_error
    log = attempts(message)
    assert [a.status_code for a in log] == [429, 500, 500] and not any(a.success for a in log)
    assert len(log[1].response_excerpt) == 1000  # capped
    db.session.refresh(hook)
    assert hook.state is EndpointState.DISABLED and "3 failed attempts in a row" in hook.disabled_reason


def test_a_success_in_between_keeps_the_endpoint_enabled(course, hook, receiver):
    answers = iter([500, 500, 204, 500, 500, 500])
    receiver.respond = lambda got: (next(answers), {}, b"")
    first, second = send_test_message(course, hook), send_test_message(course, hook)
    assert webhook_delivery.deliver(first.id) == "retrying"
    assert webhook_delivery.deliver(second.id) == "retrying"
    due_now(first)
    assert webhook_delivery.deliver(first.id) == "delivered"
    due_now(second)
    assert webhook_delivery.deliver(second.id) == "retrying"
    due_now(second)
    assert webhook_delivery.deliver(second.id) == "failed"
    db.session.refresh(hook)
    assert hook.state is EndpointState.ENABLED and hook.consecutive_failures == 2


def test_a_receiver_back_up_gets_its_backlog_now_not_at_the_next_retry(course, hook, receiver, app, monkeypatch,
                                                                      redis_server):
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_SCHEDULE", (3600.0, 3600.0))
    waiting = [send_test_message(course, hook) for _ in range(3)]
    receiver.stop()
    for message in waiting:
        assert webhook_delivery.deliver(message.id) == "retrying"  # next attempt in an hour
    receiver.start()
    fresh = send_test_message(course, hook)
    redis_server.client().delete("webhooks")
    assert webhook_delivery.deliver(fresh.id) == "delivered"
    assert redis_server.client().llen("webhooks") == 3  # the backlog's jobs, sent with the success
    for message in waiting:
        assert webhook_delivery.deliver(message.id) == "delivered"
    assert {r.msg_id for r in receiver.requests} == {m.msg_id for m in [*waiting, fresh]}


def test_an_endpoint_deleted_during_an_attempt_ends_it_quietly(course, hook, receiver):
    from sqlalchemy import delete

    message = send_test_message(course, hook)
    message_id, endpoint_id = message.id, hook.id

    def resolve_while_deleted(host: str, port: int) -> list:
        with db.engine.begin() as other:  # another request deletes the endpoint meanwhile
            other.execute(delete(WebhookAttempt))
            other.execute(delete(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint_id))
            other.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id))
        return [ipaddress.ip_address("127.0.0.1")]

    assert webhook_delivery.deliver(message_id, resolver=resolve_while_deleted) == "skipped"
    assert len(receiver.requests) == 1  # it was on its way; nothing is recorded for a message that is gone


def test_410_disables_the_endpoint_and_its_other_messages_fail_unsent(course, hook, receiver):
    receiver.respond = lambda got: (410, {}, b"gone")
    first, second = send_test_message(course, hook), send_test_message(course, hook)
    assert webhook_delivery.deliver(first.id) == "failed"
    db.session.refresh(hook)
    assert hook.state is EndpointState.DISABLED and "410" in hook.disabled_reason
    assert webhook_delivery.deliver(second.id) == "failed"
    assert len(receiver.requests) == 1 and attempts(second) == []
    with pytest.raises(webhook_endpoints.EndpointDisabled):
        webhook_endpoints.replay(course, first.id)
    webhook_endpoints.update(course, hook.id, enabled=True)
    receiver.respond = None
    webhook_endpoints.replay(course, second.id)
    assert webhook_delivery.deliver(second.id) == "delivered"


def test_a_redirect_is_a_failure_and_is_not_followed(course, hook, receiver):
    receiver.respond = lambda got: (302, {"Location": receiver.url + "/elsewhere"}, b"")
    message = send_test_message(course, hook)
    assert webhook_delivery.deliver(message.id) == "retrying"
    assert [r.path for r in receiver.requests] == ["/hooks/nablagrade"]
    db.session.refresh(message)
    assert message.last_error == "HTTP 302 (redirects are not followed)"


def test_a_rotation_signs_with_both_secrets_until_the_grace_ends(course, hook, receiver):
    old = receiver.secrets[0]
    _, new = webhook_endpoints.rotate_secret(course, hook.id)
    for secrets in ([old], [new]):
        receiver.secrets = secrets
        message = send_test_message(course, hook)
        assert webhook_delivery.deliver(message.id) == "delivered"
        assert receiver.requests[-1].verified
    db.session.refresh(hook)
    hook.previous_secret_expires_at = utcnow() - dt.timedelta(seconds=1)
    db.session.commit()
    receiver.secrets = [old]
    message = send_test_message(course, hook)
    assert webhook_delivery.deliver(message.id) == "retrying"  # the old secret no longer signs
    assert not receiver.requests[-1].verified
    assert len(receiver.requests[-1].headers["webhook-signature"].split(" ")) == 1


def test_a_failed_message_is_replayed_with_its_id_and_bytes(course, hook, receiver, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_SCHEDULE", ())
    receiver.respond = lambda got: (500, {}, b"")
    message = send_test_message(course, hook)
    assert webhook_delivery.deliver(message.id) == "failed"
    receiver.respond = None
    # Every attempt of it failed with no success in between: the endpoint was disabled too.
    with pytest.raises(webhook_endpoints.EndpointDisabled, match="enable it before replaying"):
        webhook_endpoints.replay(course, message.id)
    webhook_endpoints.update(course, hook.id, enabled=True)
    replayed = webhook_endpoints.replay(course, message.id)
    assert replayed.status is MessageStatus.PENDING and replayed.replay_offset == 1
    assert webhook_delivery.deliver(message.id) == "delivered"
    first, second = receiver.requests
    assert first.msg_id == second.msg_id == message.msg_id and first.body == second.body
    assert [a.number for a in attempts(message)] == [1, 2]


def test_the_sweeper_resends_due_messages_whose_job_was_lost(course, hook, receiver, redis_server, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_SWEEP_GRACE", 1.0)
    message = send_test_message(course, hook)
    queue = redis_server.client()
    queue.delete("webhooks")  # the broker lost the job
    assert webhook_delivery.sweep() == 0  # sent a moment ago: not yet presumed lost
    later = utcnow() + dt.timedelta(seconds=2)
    assert webhook_delivery.sweep(now=later) == 1 and queue.llen("webhooks") == 1
    assert webhook_delivery.sweep(now=later) == 0  # sent again just now
    # A delivery that holds the message (its worker may be busy with it) is left alone.
    assert webhook_delivery.claim(message.id, utcnow())
    assert webhook_delivery.sweep(now=later + dt.timedelta(seconds=2)) == 0
    # Its worker died: the hold expires and the sweeper sends it again.
    expired = later + dt.timedelta(seconds=webhook_delivery.lease_seconds() + 5)
    assert webhook_delivery.sweep(now=expired) == 1


def test_the_log_forgets_finished_messages_after_the_retention(course, hook, receiver, app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_RETENTION_DAYS", 30.0)
    delivered, waiting = send_test_message(course, hook), send_test_message(course, hook)
    delivered_id, waiting_id = delivered.id, waiting.id
    assert webhook_delivery.deliver(delivered_id) == "delivered"
    month_later = utcnow() + dt.timedelta(days=31)
    assert webhook_delivery.prune(now=utcnow()) == 0  # young: kept
    assert webhook_delivery.prune(now=month_later) == 1
    db.session.expire_all()
    assert db.session.get(WebhookMessage, delivered_id) is None
    assert db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.message_id == delivered_id)).all() == []
    assert db.session.get(WebhookMessage, waiting_id) is not None  # still to deliver: never forgotten
    monkeypatch.setitem(app.config, "WEBHOOK_RETENTION_DAYS", 0.0)
    assert webhook_delivery.prune(now=month_later + dt.timedelta(days=3650)) == 0


# --- SSRF ------------------------------------------------------------------------------------------

@pytest.fixture
def no_connection(monkeypatch):
    """Fails the test if anything tries to open a connection."""
    tried = []

    def refuse(address, *args, **kwargs):
        tried.append(address)
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    return tried


def resolver_to(*addresses: str):
    return lambda host, port: [ipaddress.ip_address(a) for a in addresses]


@pytest.mark.parametrize("url", ["http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/h",
                                 "http://[::ffff:127.0.0.1]/h", "http://0.0.0.0/h", "https://192.168.1.10/h",
                                 "http://100.64.0.1/h", "http://224.0.0.1/h", "http://[fe80::1]/h",
                                 "http://[64:ff9b::a00:1]/h", "http://[2002:a00:1::]/h"])
def test_private_targets_are_refused_before_connecting(url, no_connection):
    answer = webhook_delivery.send(url, b"{}", {}, 15, allow_private=False)
    assert answer.status_code is None and answer.error.startswith("not sent: refused")
    assert no_connection == []


def test_a_name_resolving_to_loopback_is_refused(no_connection):
    answer = webhook_delivery.send("https://hooks.example.edu/h", b"{}", {}, 15, allow_private=False,
                                   resolver=resolver_to("127.0.0.1"))
    assert "127.0.0.1 is a loopback address" in answer.error and no_connection == []
    # One private address among public ones refuses the name as a whole.
    answer = webhook_delivery.send("https://hooks.example.edu/h", b"{}", {}, 15, allow_private=False,
                                   resolver=resolver_to("93.184.216.34", "10.1.2.3"))
    assert "10.1.2.3 is a private address" in answer.error and no_connection == []


def test_the_check_runs_at_every_delivery_because_dns_changes(course, hook, receiver, app, monkeypatch,
                                                              no_connection):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", False)
    message = send_test_message(course, hook)
    assert webhook_delivery.deliver(message.id, resolver=resolver_to("127.0.0.1")) == "retrying"
    [attempt] = attempts(message)
    assert attempt.status_code is None and "loopback" in attempt.error and no_connection == []
    assert receiver.requests == []


def test_the_vetted_address_is_the_one_connected_to(monkeypatch, receiver):
    """A second lookup could answer differently (DNS rebinding): the connection goes to the
    address that was checked, and the Host header keeps the name."""
    receiver.secrets = []
    connected = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        connected.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    lookups = iter([[ipaddress.ip_address("127.0.0.1")], [ipaddress.ip_address("10.9.9.9")]])
    answer = webhook_delivery.send(f"http://rebind.test:{receiver.port}/hooks/nablagrade", b"{}", {}, 5,
                                   allow_private=True, resolver=lambda host, port: next(lookups))
    assert answer.status_code == 400  # unsigned: our receiver refuses it, but it was reached
    assert connected == [("127.0.0.1", receiver.port)]
    assert receiver.requests[0].headers["host"] == f"rebind.test:{receiver.port}"


@pytest.mark.parametrize("url, reason", [
    ("ftp://lms.example.edu/h", "starts with https://"), ("https:///h", "names a host"),
    ("https://user:pw@lms.example.edu/h", "no user name"), ("http://10.0.0.1/h", "private"),
    ("http://localhost:8000/h", "localhost"), ("http://[::1]/h", "loopback"), ("https://lms.example.edu/h h", "spaces"),
    ("https://lms.example.edu:99999/h", "not a valid URL"),
])
def test_urls_refused_when_an_endpoint_is_saved(url, reason):
    with pytest.raises(webhook_targets.TargetRefused, match=reason):
        webhook_targets.check_saved(url, allow_private=False)


def test_retry_after_reads_seconds_and_dates():
    assert webhook_delivery.retry_after("120") == 120.0
    assert webhook_delivery.retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert webhook_delivery.retry_after("soon") is None and webhook_delivery.retry_after(None) is None
    assert webhook_delivery.retry_after("99999999") == webhook_delivery.RETRY_AFTER_MAX


def test_every_message_body_is_the_json_it_says(course, hook):
    message = send_test_message(course, hook)
    assert json.loads(message.body)["type"] == "webhook.test"


def test_a_receiver_that_answers_a_byte_at_a_time_is_cut_off_at_the_timeout():
    """Each byte comes within the per-step timeout; the whole attempt still ends at the timeout,
    long before the receiver would have finished its answer."""
    import threading
    import time

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    answer_bytes = b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100
    sent: list[int] = []
    finished = threading.Event()

    def drip() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            try:
                for byte in answer_bytes:
                    connection.sendall(bytes([byte]))
                    sent.append(byte)
                    time.sleep(0.2)
            except OSError:
                pass
        finished.set()

    threading.Thread(target=drip, daemon=True).start()
    answer = webhook_delivery.send(f"http://127.0.0.1:{port}/h", b"{}", {}, 1.0, allow_private=True)
    assert answer.status_code is None and "within 1 s" in answer.error
    finished.wait(30)
    server.close()
    assert 0 < len(sent) < len(answer_bytes)  # the receiver met a closed connection mid-answer
