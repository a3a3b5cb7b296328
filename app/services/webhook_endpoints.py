"""Webhook endpoints of a course and their delivery log: what the API's /webhook-endpoints and
/webhook-messages and the instructors' webhooks page do, in one place.

Everything is scoped to a course: another course's endpoint or message is "not found"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    ApiToken,
    Course,
    EndpointState,
    MessageStatus,
    WebhookEndpoint,
    WebhookMessage,
    utcnow,
)
from app.services import jobs, webhook_outbox, webhook_signing, webhook_targets
from app.services.errors import NotFound, ServiceError
from app.services.webhook_events import EVENTS, WEBHOOK_TEST

MAX_ENDPOINTS = 20  # per course: each event is stored once per endpoint
MAX_DESCRIPTION = 200


class EndpointDisabled(ServiceError):
    """The endpoint is disabled: enable it before sending to it."""


def check_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    unknown = [event for event in chosen if event not in EVENTS]
    if unknown:
        raise ServiceError(f"unknown event type {', '.join(map(repr, unknown))}; the types are {', '.join(EVENTS)}")
    if not chosen:
        raise ServiceError(f"subscribe to at least one event type ({', '.join(EVENTS)})")
    return chosen


def check_url(url: str) -> str:
    webhook_targets.check_saved(url, current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    return url


def check_description(description: str | None) -> str:
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION or any(ord(c) < 32 or ord(c) == 127 for c in description):
        raise ServiceError(f"a description is at most {MAX_DESCRIPTION} characters, with no control characters")
    return description


def create(course: Course, url: str, events: Iterable[str], description: str | None = None,
           token: ApiToken | None = None) -> tuple[WebhookEndpoint, str]:
    """A new enabled endpoint and its `whsec_` secret, which the caller shows once."""
    url, chosen, description = check_url(url), check_events(events), check_description(description)
    count = db.session.scalar(select(func.count(WebhookEndpoint.id)).where(WebhookEndpoint.course_id == course.id))
    if (count or 0) >= MAX_ENDPOINTS:
        raise ServiceError(f"{course.code} has {MAX_ENDPOINTS} webhook endpoints already; delete one first")
    secret = webhook_signing.new_secret()
    endpoint = WebhookEndpoint(course_id=course.id, url=url, events=chosen, description=description, secret=secret,
                               state=EndpointState.ENABLED, consecutive_failures=0,
                               created_by_token_id=token.id if token is not None else None)
    db.session.add(endpoint)
    _commit()
    return endpoint, secret


def list_endpoints(course: Course, after_id: int | None = None, limit: int | None = None) -> list[WebhookEndpoint]:
    query = select(WebhookEndpoint).where(WebhookEndpoint.course_id == course.id).order_by(WebhookEndpoint.id)
    if after_id is not None:
        query = query.where(WebhookEndpoint.id > after_id)
    return list(db.session.scalars(query.limit(limit)))


def disabled_endpoints(course: Course) -> list[WebhookEndpoint]:
    """The course's disabled endpoints: an integration hears nothing until staff act."""
    return list(db.session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.course_id == course.id,
                                                                 WebhookEndpoint.state == EndpointState.DISABLED)
                                   .order_by(WebhookEndpoint.id)))


def get_endpoint(course: Course, endpoint_id: int, lock: bool = False) -> WebhookEndpoint:
    """The course's endpoint; `lock` holds its row until the commit (FOR NO KEY UPDATE: a concurrent
    delete waits, the outbox's reads of it do not)."""
    endpoint = db.session.get(WebhookEndpoint, endpoint_id, with_for_update={"key_share": True} if lock else None)
    if endpoint is None or endpoint.course_id != course.id:
        raise NotFound(f"no webhook endpoint {endpoint_id} in {course.code}")
    return endpoint


def _commit() -> None:
    """Commit, keeping the objects as written: the caller answers with them, and reloading a row
    that a concurrent request deleted just after this commit would fail."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def enable(endpoint: WebhookEndpoint) -> None:
    endpoint.state = EndpointState.ENABLED
    endpoint.disabled_reason = None
    endpoint.disabled_at = None
    endpoint.consecutive_failures = 0


def update(course: Course, endpoint_id: int, url: str | None = None, events: Iterable[str] | None = None,
           description: str | None = None, enabled: bool | None = None) -> WebhookEndpoint:
    """Change what is given; enabling a disabled endpoint starts its failure count again."""
    endpoint = get_endpoint(course, endpoint_id, lock=True)
    if url is not None:
        endpoint.url = check_url(url)
    if events is not None:
        endpoint.events = check_events(events)
    if description is not None:
        endpoint.description = check_description(description)
    if enabled is True and endpoint.state is not EndpointState.ENABLED:
        enable(endpoint)
    elif enabled is False and endpoint.state is EndpointState.ENABLED:
        endpoint.state = EndpointState.DISABLED
        endpoint.disabled_reason = "disabled through the API"
        endpoint.disabled_at = utcnow()
    _commit()
    return endpoint


def set_enabled(course: Course, endpoint_id: int, enabled: bool, by: str) -> WebhookEndpoint:
    """Enable or disable from the staff page, recording who did it."""
    endpoint = get_endpoint(course, endpoint_id, lock=True)
    if enabled:
        enable(endpoint)
    elif endpoint.state is EndpointState.ENABLED:
        endpoint.state = EndpointState.DISABLED
        endpoint.disabled_reason = f"disabled by {by}"
        endpoint.disabled_at = utcnow()
    _commit()
    return endpoint


def delete(course: Course, endpoint_id: int) -> None:
    """Delete the endpoint with its messages and their attempts."""
    endpoint = get_endpoint(course, endpoint_id)
    db.session.delete(endpoint)
    db.session.commit()


def rotate_secret(course: Course, endpoint_id: int, now: dt.datetime | None = None) -> tuple[WebhookEndpoint, str]:
    """A new secret signs from now on; the one it replaces still signs (a second signature)
    until the grace period ends (WEBHOOK_ROTATION_GRACE_HOURS, 24 h by default)."""
    endpoint = get_endpoint(course, endpoint_id, lock=True)
    now = now or utcnow()
    grace = dt.timedelta(hours=current_app.config["WEBHOOK_ROTATION_GRACE_HOURS"])
    secret = webhook_signing.new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + grace
    endpoint.secret = secret
    _commit()
    return endpoint, secret


def send_test(course: Course, endpoint_id: int) -> WebhookMessage:
    """A webhook.test message for this endpoint alone, whatever it subscribed to."""
    endpoint = get_endpoint(course, endpoint_id, lock=True)
    if endpoint.state is not EndpointState.ENABLED:
        raise EndpointDisabled(f"webhook endpoint {endpoint.id} is disabled ({endpoint.disabled_reason}); "
                               "enable it first")
    [message] = webhook_outbox.record(WEBHOOK_TEST, {
        "endpoint_id": endpoint.id, "message": "This is a test event from nablagrade."}, [endpoint])
    _commit()
    return message


# --- the delivery log -----------------------------------------------------------------------------

def list_messages(course: Course, endpoint_id: int | None = None, status: MessageStatus | None = None,
                  before_id: int | None = None, limit: int | None = None) -> list[WebhookMessage]:
    """The course's messages, newest first (of one endpoint, in one state, when given)."""
    query = (select(WebhookMessage).join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
             .where(WebhookEndpoint.course_id == course.id).order_by(WebhookMessage.id.desc()))
    if endpoint_id is not None:
        query = query.where(WebhookMessage.endpoint_id == get_endpoint(course, endpoint_id).id)
    if status is not None:
        query = query.where(WebhookMessage.status == status)
    if before_id is not None:
        query = query.where(WebhookMessage.id < before_id)
    return list(db.session.scalars(query.limit(limit)))


def get_message(course: Course, message_id: int) -> WebhookMessage:
    message = db.session.get(WebhookMessage, message_id)
    if message is None or message.endpoint.course_id != course.id:
        raise NotFound(f"no webhook message {message_id} in {course.code}")
    return message


def replay(course: Course, message_id: int) -> WebhookMessage:
    """Send the message again, now: the same webhook-id and the same body bytes (re-signed),
    with the retry schedule started over. A message being delivered right now is left to it."""
    message = get_message(course, message_id)
    endpoint = message.endpoint
    if endpoint.state is not EndpointState.ENABLED:
        raise EndpointDisabled(f"webhook endpoint {endpoint.id} is disabled ({endpoint.disabled_reason}); "
                               "enable it before replaying its messages")
    now = utcnow()
    if message.status is MessageStatus.PENDING and message.locked_until is not None and message.locked_until > now:
        return message
    message.status = MessageStatus.PENDING
    message.next_attempt_at = now
    message.enqueued_at = now
    message.locked_until = None
    message.failed_at = None
    message.delivered_at = None
    message.replay_offset = message.attempts
    jobs.after_commit(db.session, webhook_outbox.DELIVER_TASK, message.id)
    _commit()
    return message


def recover(course: Course, endpoint_id: int, since: dt.datetime | None = None) -> int:
    """Replay every failed message of the endpoint (created at or after `since`, when given) and
    send its pending ones now: after an outage longer than the retry schedule. Returns how many."""
    endpoint = get_endpoint(course, endpoint_id, lock=True)
    if endpoint.state is not EndpointState.ENABLED:
        raise EndpointDisabled(f"webhook endpoint {endpoint.id} is disabled ({endpoint.disabled_reason}); "
                               "enable it before recovering its messages")
    now = utcnow()
    query = (select(WebhookMessage)
             .where(WebhookMessage.endpoint_id == endpoint.id,
                    WebhookMessage.status.in_([MessageStatus.FAILED, MessageStatus.PENDING]))
             .order_by(WebhookMessage.id))
    if since is not None:
        query = query.where(WebhookMessage.created_at >= since)
    count = 0
    for message in db.session.scalars(query):
        if message.status is MessageStatus.PENDING and message.locked_until is not None and message.locked_until > now:
            continue  # being delivered right now
        if message.status is MessageStatus.FAILED:
            message.replay_offset = message.attempts
            message.failed_at = None
        message.status = MessageStatus.PENDING
        message.next_attempt_at = message.enqueued_at = now
        message.locked_until = None
        jobs.after_commit(db.session, webhook_outbox.DELIVER_TASK, message.id)
        count += 1
    _commit()
    return count


@dataclass(frozen=True)
class EndpointSummary:
    """An endpoint with its message counts, for the staff page."""

    endpoint: WebhookEndpoint
    counts: dict[MessageStatus, int]


def summaries(course: Course) -> list[EndpointSummary]:
    endpoints = list_endpoints(course)
    counts: dict[int, dict[MessageStatus, int]] = {e.id: dict.fromkeys(MessageStatus, 0) for e in endpoints}
    rows = db.session.execute(
        select(WebhookMessage.endpoint_id, WebhookMessage.status, func.count(WebhookMessage.id))
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookMessage.endpoint_id)
        .where(WebhookEndpoint.course_id == course.id)
        .group_by(WebhookMessage.endpoint_id, WebhookMessage.status)).all()
    for endpoint_id, status, number in rows:
        counts[endpoint_id][MessageStatus(status)] = number
    return [EndpointSummary(e, counts[e.id]) for e in endpoints]
