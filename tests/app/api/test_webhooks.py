"""/api/v1/webhook-endpoints and /api/v1/webhook-messages: registering, changing, rotating,
testing, the delivery log and replay; tokens, scopes and courses; problems for bad input."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import MessageStatus, WebhookEndpoint, WebhookMessage
from app.services import tokens, webhook_delivery

ENDPOINTS = "/api/v1/webhook-endpoints"
URL = "https://lms.example.edu/hooks/nablagrade"


def auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def manager(make_token) -> dict[str, str]:
    return auth(make_token(tokens.WEBHOOKS_MANAGE))


def problem(response, status: int, slug: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    if slug:
        assert body["type"].endswith(f"#problem-{slug}"), body
    return body


def register(client, headers, url=URL, events=("submission.graded",), **extra) -> dict:
    made = client.post(ENDPOINTS, headers=headers, json={"url": url, "events": list(events), **extra})
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def test_register_read_change_and_delete_an_endpoint(client, manager):
    made = register(client, manager, events=["submission.graded", "grade.updated"], description="canvas prod")
    assert made["secret"].startswith("whsec_") and made["url"] == URL and made["state"] == "enabled"
    assert made["events"] == ["submission.graded", "grade.updated"]
    location = f"{ENDPOINTS}/{made['id']}"
    got = client.get(location, headers=manager).get_json()
    assert "secret" not in got and got["description"] == "canvas prod"  # the secret is shown once
    listing = client.get(ENDPOINTS, headers=manager).get_json()
    assert [e["id"] for e in listing["data"]] == [made["id"]] and listing["next_cursor"] is None

    changed = client.patch(location, headers=manager, json={"events": ["submission.received"], "enabled": False})
    assert changed.status_code == 200
    body = changed.get_json()
    assert body["events"] == ["submission.received"] and body["state"] == "disabled"
    assert body["disabled_reason"] == "disabled through the API"
    assert client.patch(location, headers=manager, json={"enabled": True}).get_json()["state"] == "enabled"

    assert client.delete(location, headers=manager).status_code == 204
    problem(client.get(location, headers=manager), 404)
    problem(client.delete(location, headers=manager), 404)


@pytest.mark.parametrize("body, slug, says", [
    ({"url": "http://10.0.0.1/h", "events": ["submission.graded"]}, "invalid-webhook-url", "private"),
    ({"url": "http://169.254.169.254/latest", "events": ["submission.graded"]}, "invalid-webhook-url", "link-local"),
    ({"url": "http://[::1]:8000/h", "events": ["submission.graded"]}, "invalid-webhook-url", "loopback"),
    ({"url": "http://localhost/h", "events": ["submission.graded"]}, "invalid-webhook-url", "localhost"),
    ({"url": "ftp://lms.example.edu/h", "events": ["submission.graded"]}, "invalid-webhook-url", "https://"),
    ({"url": URL, "events": []}, "invalid-request", "events"),
    ({"url": URL, "events": ["submission.exploded"]}, "invalid-request", "events"),
    ({"url": URL}, "invalid-request", "events"),
    ({"events": ["submission.graded"]}, "invalid-request", "url"),
    ({"url": URL, "events": ["submission.graded"], "secret": "whsec_mine"}, "invalid-request", "secret"),
])
def test_bad_endpoints_are_refused_with_a_clear_problem(client, manager, body, slug, says):
    refused = problem(client.post(ENDPOINTS, headers=manager, json=body), 422, slug)
    assert says in refused["detail"]
    assert db.session.scalar(select(func.count(WebhookEndpoint.id))) == 0


@pytest.mark.parametrize("body", [{"enabled": 0}, {"enabled": "yes"}, {"events": "submission.graded"},
                                  {"url": "http://10.0.0.1/h"}, {"nope": 1}])
def test_a_bad_change_is_refused_and_changes_nothing(client, manager, body):
    made = register(client, manager)
    problem(client.patch(f"{ENDPOINTS}/{made['id']}", headers=manager, json=body), 422)
    problem(client.patch(f"{ENDPOINTS}/{made['id']}", headers=manager), 422, "invalid-request")  # no body at all
    got = client.get(f"{ENDPOINTS}/{made['id']}", headers=manager).get_json()
    assert (got["state"], got["url"], got["events"]) == ("enabled", URL, ["submission.graded"])


def test_rotation_returns_a_new_secret_and_the_grace(client, manager):
    made = register(client, manager)
    rotated = client.post(f"{ENDPOINTS}/{made['id']}/rotate-secret", headers=manager)
    assert rotated.status_code == 200
    body = rotated.get_json()
    assert body["secret"].startswith("whsec_") and body["secret"] != made["secret"]
    assert body["previous_secret_expires_at"]
    endpoint = db.session.get(WebhookEndpoint, made["id"])
    assert (endpoint.secret, endpoint.previous_secret) == (body["secret"], made["secret"])


def test_a_test_event_and_the_delivery_log_and_replay(client, manager, app, monkeypatch, receiver):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    made = register(client, manager, url=receiver.url)
    receiver.secrets = [made["secret"]]
    sent = client.post(f"{ENDPOINTS}/{made['id']}/test", headers=manager)
    assert sent.status_code == 202
    message = sent.get_json()
    assert message["event_type"] == "webhook.test" and message["status"] == "pending"
    assert message["payload"]["data"]["endpoint_id"] == made["id"]
    assert webhook_delivery.deliver(message["id"]) == "delivered"  # what the worker would do

    log = client.get(f"{ENDPOINTS}/{made['id']}/messages", headers=manager).get_json()
    [entry] = log["data"]
    assert entry["status"] == "delivered" and entry["msg_id"] == receiver.requests[0].msg_id
    [attempt] = entry["attempt_log"]
    assert attempt["status_code"] == 204 and attempt["success"] and attempt["latency_ms"] >= 0
    assert client.get(f"{ENDPOINTS}/{made['id']}/messages?status=failed", headers=manager).get_json()["data"] == []

    replayed = client.post(f"/api/v1/webhook-messages/{message['id']}/replay", headers=manager)
    assert replayed.status_code == 202 and replayed.get_json()["status"] == "pending"
    assert replayed.headers["Location"] == f"/api/v1/webhook-messages/{message['id']}"
    assert webhook_delivery.deliver(message["id"]) == "delivered"
    got = client.get(f"/api/v1/webhook-messages/{message['id']}", headers=manager).get_json()
    assert [a["number"] for a in got["attempt_log"]] == [1, 2]
    assert [r.msg_id for r in receiver.requests] == [message["msg_id"]] * 2


def test_a_disabled_endpoint_takes_no_test_and_no_replay(client, manager):
    made = register(client, manager)
    message_id = client.post(f"{ENDPOINTS}/{made['id']}/test", headers=manager).get_json()["id"]
    client.patch(f"{ENDPOINTS}/{made['id']}", headers=manager, json={"enabled": False})
    problem(client.post(f"{ENDPOINTS}/{made['id']}/test", headers=manager), 409, "endpoint-disabled")
    problem(client.post(f"/api/v1/webhook-messages/{message_id}/replay", headers=manager), 409, "endpoint-disabled")


def test_the_log_pages_newest_first(client, manager):
    made = register(client, manager)
    ids = [client.post(f"{ENDPOINTS}/{made['id']}/test", headers=manager).get_json()["id"] for _ in range(3)]
    first = client.get(f"{ENDPOINTS}/{made['id']}/messages?limit=2", headers=manager).get_json()
    second = client.get(f"{ENDPOINTS}/{made['id']}/messages?limit=2&cursor={first['next_cursor']}",
                        headers=manager).get_json()
    assert [m["id"] for m in first["data"] + second["data"]] == ids[::-1] and second["next_cursor"] is None
    problem(client.get(f"{ENDPOINTS}/{made['id']}/messages?limit=2&status=failed&cursor={first['next_cursor']}",
                       headers=manager), 400, "invalid-cursor")


ROUTES = [("GET", ENDPOINTS), ("POST", ENDPOINTS), ("GET", ENDPOINTS + "/{e}"), ("PATCH", ENDPOINTS + "/{e}"),
          ("DELETE", ENDPOINTS + "/{e}"), ("POST", ENDPOINTS + "/{e}/rotate-secret"),
          ("POST", ENDPOINTS + "/{e}/test"), ("POST", ENDPOINTS + "/{e}/recover"), ("GET", ENDPOINTS + "/{e}/messages"),
          ("GET", "/api/v1/webhook-messages/{m}"), ("POST", "/api/v1/webhook-messages/{m}/replay")]


@pytest.fixture
def webhook_ids(client, manager) -> dict[str, int]:
    made = register(client, manager)
    message = client.post(f"{ENDPOINTS}/{made['id']}/test", headers=manager).get_json()
    return {"e": made["id"], "m": message["id"]}


@pytest.mark.parametrize("method, path", ROUTES)
def test_no_token_a_revoked_one_or_the_wrong_scope_is_refused(client, make_token, course, webhook_ids, method, path):
    url = path.format(**webhook_ids)
    body = {"url": URL, "events": ["submission.graded"]} if method in ("POST", "PATCH") else None
    problem(client.open(url, method=method, json=body), 401, "invalid-token")
    revoked = make_token(tokens.WEBHOOKS_MANAGE)
    tokens.revoke(db.session.scalar(select(tokens.ApiToken.id).order_by(tokens.ApiToken.id.desc())))
    problem(client.open(url, method=method, json=body, headers=auth(revoked)), 401, "invalid-token")
    narrow = make_token(tokens.SUBMISSIONS_WRITE, tokens.RESULTS_READ)
    refused = problem(client.open(url, method=method, json=body, headers=auth(narrow)), 403, "insufficient-scope")
    assert refused["required_scope"] == "webhooks:manage"
    assert db.session.scalar(select(func.count(WebhookEndpoint.id))) == 1  # nothing was made or deleted


@pytest.mark.parametrize("method, path", [r for r in ROUTES if "{" in r[1]])
def test_another_course_sees_nothing_of_this_one(client, make_token, other_course, webhook_ids, method, path):
    theirs = auth(make_token(tokens.WEBHOOKS_MANAGE, course_code=other_course.code))
    body = {"events": ["submission.graded"]} if method == "PATCH" else None
    problem(client.open(path.format(**webhook_ids), method=method, json=body, headers=theirs), 404)
    assert client.get(ENDPOINTS, headers=theirs).get_json()["data"] == []
    db.session.expire_all()
    endpoint = db.session.get(WebhookEndpoint, webhook_ids["e"])
    assert endpoint is not None and endpoint.events == ["submission.graded"] and endpoint.previous_secret is None
    assert db.session.get(WebhookMessage, webhook_ids["m"]).status is MessageStatus.PENDING


def test_recover_sends_again_what_an_outage_kept(client, manager, app, monkeypatch, receiver):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_SCHEDULE", ())
    made = register(client, manager, url=receiver.url)
    receiver.secrets = [made["secret"]]
    receiver.stop()
    old, new = (client.post(f"{ENDPOINTS}/{made['id']}/test", headers=manager).get_json() for _ in range(2))
    for message in (old, new):
        assert webhook_delivery.deliver(message["id"]) == "failed"
    client.patch(f"{ENDPOINTS}/{made['id']}", headers=manager, json={"enabled": True})  # disabled by the failures
    receiver.start()
    since = db.session.get(WebhookMessage, new["id"]).created_at.isoformat()
    answer = client.post(f"{ENDPOINTS}/{made['id']}/recover", headers=manager, query_string={"since": since})
    assert answer.status_code == 202 and answer.get_json() == {"messages": 1}
    assert webhook_delivery.deliver(new["id"]) == "delivered"
    assert webhook_delivery.deliver(old["id"]) == "skipped"  # before `since`: still failed
    assert client.post(f"{ENDPOINTS}/{made['id']}/recover", headers=manager).get_json() == {"messages": 1}
    assert webhook_delivery.deliver(old["id"]) == "delivered"
    assert [r.msg_id for r in receiver.requests] == [new["msg_id"], old["msg_id"]]
    problem(client.post(f"{ENDPOINTS}/{made['id']}/recover?since=yesterday", headers=manager), 422, "invalid-request")
