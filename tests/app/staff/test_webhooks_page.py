"""The instructors' webhooks page: endpoints with their state (disabled ones first, with why),
the delivery log with every attempt, replay and enable/disable through CSRF forms."""

from sqlalchemy import select

from app.extensions import db
from app.models import EndpointState, MessageStatus, Role, WebhookAttempt, WebhookMessage, utcnow
from app.services import people, webhook_delivery, webhook_endpoints
from tests.support.authz import fresh_request, log_in


def instructor(app, course):
    user, _ = people.get_or_create_user("prof@example.edu", "Prof Essor", Role.INSTRUCTOR, None)
    people.enrol(user, course, Role.INSTRUCTOR)
    db.session.commit()
    client = app.test_client()
    return client, log_in(client, user)


def failed_message(course, endpoint) -> WebhookMessage:
    """A message whose one attempt got a 500, as the delivery would log it."""
    message = webhook_endpoints.send_test(course, endpoint.id)
    message.status, message.attempts, message.failed_at = MessageStatus.FAILED, 1, utcnow()
    message.last_error = "HTTP 500; gave up after 1 attempts"
    db.session.add(WebhookAttempt(message_id=message.id, number=1, url=endpoint.url, status_code=500, latency_ms=12,
                                  response_excerpt="<h1>Internal Server Error</h1>", success=False))
    db.session.commit()
    return message


def test_the_page_shows_endpoints_the_log_and_replays(app_context, course):
    client, csrf = instructor(app_context, course)
    healthy = webhook_endpoints.create(course, "https://lms.example.edu/ok", ["submission.graded"])[0]
    gone = webhook_endpoints.create(course, "https://old.example.edu/gone", ["submission.received"])[0]
    webhook_delivery.disable(gone, "the endpoint answered 410 Gone to msg_x", utcnow())
    db.session.commit()
    message = failed_message(course, healthy)
    url = f"/staff/{course.code}/webhooks"

    page = fresh_request(client, url)
    assert page.status_code == 200
    html = page.data.decode()
    assert html.index("https://old.example.edu/gone") < html.index("https://lms.example.edu/ok")  # disabled first
    assert "the endpoint answered 410 Gone to msg_x" in html and 'data-status="disabled"' in html
    assert message.msg_id in html and "HTTP 500 in 12 ms" in html and "&lt;h1&gt;Internal Server Error" in html
    assert "0 delivered, 0 pending, 1 failed" in html
    assert 'href="/staff/T101/webhooks"' in html  # in the staff navigation

    only_failed = fresh_request(client, f"{url}?status=delivered").data.decode()
    assert message.msg_id not in only_failed and "No messages delivered" in only_failed

    replayed = fresh_request(client, f"{url}/messages/{message.id}/replay", method="POST", data={"csrf_token": csrf})
    assert replayed.status_code == 302 and replayed.headers["Location"].endswith(f"#message-{message.id}")
    db.session.expire_all()
    assert db.session.get(WebhookMessage, message.id).status is MessageStatus.PENDING
    assert "will be sent again now" in fresh_request(client, url).data.decode()

    assert fresh_request(client, f"{url}/{gone.id}/enabled", method="POST",
                         data={"csrf_token": csrf, "enabled": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(gone), gone.id).state is EndpointState.ENABLED
    fresh_request(client, f"{url}/{healthy.id}/enabled", method="POST", data={"csrf_token": csrf, "enabled": "0"})
    db.session.expire_all()
    endpoint = db.session.get(type(healthy), healthy.id)
    assert endpoint.state is EndpointState.DISABLED and endpoint.disabled_reason == "disabled by Prof Essor"


def test_replaying_to_a_disabled_endpoint_says_to_enable_it(app_context, course):
    client, csrf = instructor(app_context, course)
    endpoint = webhook_endpoints.create(course, "https://lms.example.edu/ok", ["submission.graded"])[0]
    message = failed_message(course, endpoint)
    webhook_endpoints.set_enabled(course, endpoint.id, False, by="someone")
    answer = fresh_request(client, f"/staff/{course.code}/webhooks/messages/{message.id}/replay", method="POST",
                           data={"csrf_token": csrf}, follow_redirects=True)
    assert "Not replayed" in answer.data.decode() and "enable it before replaying" in answer.data.decode()
    db.session.expire_all()
    assert db.session.scalar(select(WebhookMessage.status)) is MessageStatus.FAILED


def test_an_empty_page_says_how_endpoints_are_made(app_context, course):
    client, _ = instructor(app_context, course)
    html = fresh_request(client, f"/staff/{course.code}/webhooks").data.decode()
    assert "No webhook endpoints yet" in html and "POST /api/v1/webhook-endpoints" in html


def test_recover_sends_every_failed_message_again(app_context, course):
    client, csrf = instructor(app_context, course)
    endpoint = webhook_endpoints.create(course, "https://lms.example.edu/ok", ["submission.graded"])[0]
    failed = [failed_message(course, endpoint) for _ in range(2)]
    url = f"/staff/{course.code}/webhooks"
    assert "Send failed and waiting again" in fresh_request(client, url).data.decode()
    answer = fresh_request(client, f"{url}/{endpoint.id}/recover", method="POST", data={"csrf_token": csrf},
                           follow_redirects=True)
    assert "2 messages will be sent again now." in answer.data.decode()
    db.session.expire_all()
    assert {db.session.get(WebhookMessage, m.id).status for m in failed} == {MessageStatus.PENDING}


def test_the_course_overview_warns_instructors_of_a_disabled_endpoint(app_context, course):
    client, _ = instructor(app_context, course)
    endpoint = webhook_endpoints.create(course, "https://lms.example.edu/ok", ["submission.graded"])[0]
    assert "webhook endpoint" not in fresh_request(client, f"/staff/{course.code}/").data.decode()
    webhook_delivery.disable(endpoint, "the endpoint answered 410 Gone to msg_x", utcnow())
    db.session.commit()
    html = " ".join(fresh_request(client, f"/staff/{course.code}/").data.decode().split())
    assert "1 webhook endpoint is disabled (the endpoint answered 410 Gone to msg_x)" in html
    assert f'href="/staff/{course.code}/webhooks"' in html
