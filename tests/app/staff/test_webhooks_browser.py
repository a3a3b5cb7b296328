"""The webhooks page as an instructor uses it in Chromium: a disabled endpoint with its reason,
a failed message's attempts, replaying it; no outside request, no CSP violation, no serious
accessibility problem (tests/support/browser.py)."""

from __future__ import annotations

import re
from typing import Any

from app.extensions import db
from app.models import MessageStatus, Role, WebhookAttempt, WebhookMessage, utcnow
from app.services import passwords, people, webhook_delivery, webhook_endpoints
from tests.support.browser import assert_accessible, page_log, serve


def test_an_instructor_sees_a_failure_and_replays_it(app_context, course, page: Any, screenshot: Any) -> None:
    user, _ = people.get_or_create_user("prof@example.edu", "Ada Instructor", Role.INSTRUCTOR, None)
    passwords.set_password(user, "correct horse battery staple")
    people.enrol(user, course, Role.INSTRUCTOR)
    db.session.commit()
    live = webhook_endpoints.create(course, "https://lms.example.edu/hooks/ng", ["submission.graded"])[0]
    gone = webhook_endpoints.create(course, "https://old-lms.example.edu/hooks", ["submission.received"])[0]
    webhook_delivery.disable(gone, "the endpoint answered 410 Gone to msg_01OLD", utcnow())
    message = webhook_endpoints.send_test(course, live.id)
    message.status, message.attempts, message.last_error = MessageStatus.FAILED, 1, "HTTP 503; gave up"
    db.session.add(WebhookAttempt(message_id=message.id, number=1, url=live.url, status_code=503, latency_ms=48,
                                  response_excerpt="Service Unavailable", success=False))
    db.session.commit()
    with serve(app_context) as base:
        page.goto(f"{base}/auth/login")
        page.get_by_label("Email").fill("prof@example.edu")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{base}/staff/{course.code}/webhooks")
        disabled = page.get_by_role("row", name=re.compile("old-lms.example.edu"))
        assert "410 Gone" in disabled.inner_text() and disabled.get_by_role("button", name=re.compile("^Enable")).count()
        row = page.get_by_role("row", name=re.compile(message.msg_id))
        row.get_by_text("1 attempt").click()  # opens the attempts
        assert row.get_by_text("HTTP 503 in 48 ms").is_visible()
        assert_accessible(page)
        screenshot(page, "failed")
        row.get_by_role("button", name=re.compile("^Replay")).click()
        assert page.get_by_text(re.compile("will be sent again now, with the same webhook-id")).is_visible()
        assert page_log(page).problems() == []
        # On a phone the header wraps between its items, not inside the "Log out" button.
        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        log_out = page.get_by_role("button", name="Log out")
        line = page.evaluate("(el) => parseFloat(getComputedStyle(el).lineHeight) || 20", log_out.element_handle())
        assert log_out.bounding_box()["height"] < 2 * line  # one line of text (two lines and the padding: 44 px)
        assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
    db.session.expire_all()
    assert db.session.get(WebhookMessage, message.id).status is MessageStatus.PENDING
