"""/api/v1/webhook-endpoints and /api/v1/webhook-messages: an integration registers where its
course's events go, rotates the signing secret, sends a test event, and reads the delivery log
(every message and every attempt), replaying a message when it needs one again."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import request, url_for
from flask_smorest import Blueprint

from app.api import limits, pagination, schemas
from app.api.auth import current_token, requires
from app.api.problems import Problem
from app.api.schemas import ID_MAX
from app.models import MessageStatus, WebhookEndpoint, WebhookMessage
from app.services import tokens, webhook_endpoints

blp = Blueprint("webhooks", __name__, description="Webhook endpoints, their signing secrets and the delivery log.")
limits.per_token(blp)

ENDPOINT = f"/webhook-endpoints/<int(min=1, max={ID_MAX}):endpoint_id>"
MESSAGE = f"/webhook-messages/<int(min=1, max={ID_MAX}):message_id>"


def endpoint_body(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id, "url": endpoint.url, "description": endpoint.description, "events": endpoint.events,
        "state": endpoint.state.value, "disabled_reason": endpoint.disabled_reason,
        "disabled_at": endpoint.disabled_at, "consecutive_failures": endpoint.consecutive_failures,
        "last_success_at": endpoint.last_success_at, "last_failure_at": endpoint.last_failure_at,
        "previous_secret_expires_at": endpoint.previous_secret_expires_at,
        "created_at": endpoint.created_at, "updated_at": endpoint.updated_at,
    }


def message_body(message: WebhookMessage) -> dict[str, Any]:
    return {
        "id": message.id, "msg_id": message.msg_id, "endpoint_id": message.endpoint_id,
        "event_type": message.event_type, "submission_id": message.submission_id, "status": message.status.value,
        "attempts": message.attempts, "created_at": message.created_at, "next_attempt_at": message.next_attempt_at,
        "delivered_at": message.delivered_at, "failed_at": message.failed_at, "last_error": message.last_error,
        "payload": json.loads(message.body),
        "attempt_log": [{"number": a.number, "attempted_at": a.attempted_at, "url": a.url, "success": a.success,
                         "status_code": a.status_code, "latency_ms": a.latency_ms,
                         "response_excerpt": a.response_excerpt, "error": a.error} for a in message.attempt_log],
    }


@blp.route("/webhook-endpoints")
@requires(tokens.WEBHOOKS_MANAGE)
@blp.arguments(pagination.PageArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.WebhookEndpointList)
def list_endpoints(cursor: str | None, limit: int) -> dict[str, Any]:
    """List the course's webhook endpoints

    In id order, enabled and disabled ones alike (a disabled one says why)."""
    course = current_token().course
    after = pagination.decode("webhook-endpoints", cursor, {})["id"] if cursor else None
    rows = webhook_endpoints.list_endpoints(course, after, limit + 1)
    shown, next_cursor = pagination.page("webhook-endpoints", rows, limit, {}, lambda e: {"id": e.id})
    return {"data": [endpoint_body(e) for e in shown], "next_cursor": next_cursor}


@blp.route("/webhook-endpoints", methods=["POST"])
@requires(tokens.WEBHOOKS_MANAGE)
@blp.arguments(schemas.WebhookEndpointCreate)
@blp.response(201, schemas.WebhookEndpointCreated, headers={
    "Location": {"description": "The endpoint's URL.", "schema": {"type": "string"}}})
def create_endpoint(fields: dict[str, Any]) -> Any:
    """Register a webhook endpoint

    Events of the types listed are POSTed to `url`, signed as Standard Webhooks specify with the
    `secret` of this answer (shown only here; rotate it to get a new one). The URL must be http
    or https and reach a public address: private, loopback and link-local targets are refused,
    when saved and again at each delivery."""
    token = current_token()
    endpoint, secret = webhook_endpoints.create(token.course, fields["url"], fields["events"],
                                                fields.get("description"), token=token)
    body = {**endpoint_body(endpoint), "secret": secret}
    return body, 201, {"Location": url_for("webhooks.get_endpoint", endpoint_id=endpoint.id)}


@blp.route(ENDPOINT)
@requires(tokens.WEBHOOKS_MANAGE)
@blp.response(200, schemas.WebhookEndpoint)
def get_endpoint(endpoint_id: int) -> dict[str, Any]:
    """Get a webhook endpoint"""
    return endpoint_body(webhook_endpoints.get_endpoint(current_token().course, endpoint_id))


@blp.route(ENDPOINT, methods=["PATCH"])
@requires(tokens.WEBHOOKS_MANAGE)
@blp.arguments(schemas.WebhookEndpointUpdate)
@blp.response(200, schemas.WebhookEndpoint)
def update_endpoint(fields: dict[str, Any], endpoint_id: int) -> dict[str, Any]:
    """Change a webhook endpoint

    Any of `url`, `events`, `description`; `enabled: true` enables a disabled endpoint (after a
    410 or repeated failures), `enabled: false` stops deliveries to it."""
    course = current_token().course
    webhook_endpoints.get_endpoint(course, endpoint_id)  # another course's endpoint is a 404 first
    if not request.get_data(cache=True) or not request.is_json:
        raise Problem(422, "invalid-request", 'send a JSON object with the fields to change, e.g. {"enabled": true}')
    endpoint = webhook_endpoints.update(course, endpoint_id, url=fields.get("url"),
                                        events=fields.get("events"), description=fields.get("description"),
                                        enabled=fields.get("enabled"))
    return endpoint_body(endpoint)


@blp.route(ENDPOINT, methods=["DELETE"])
@requires(tokens.WEBHOOKS_MANAGE)
@blp.response(204)
def delete_endpoint(endpoint_id: int) -> None:
    """Delete a webhook endpoint, with its messages and their delivery log"""
    webhook_endpoints.delete(current_token().course, endpoint_id)


@blp.route(f"{ENDPOINT}/rotate-secret", methods=["POST"])
@requires(tokens.WEBHOOKS_MANAGE)
@blp.response(200, schemas.WebhookSecret)
def rotate_secret(endpoint_id: int) -> dict[str, Any]:
    """Rotate the endpoint's signing secret

    The new secret signs from now on. Until `previous_secret_expires_at` (24 hours by default)
    each message carries a second signature made with the previous secret, so a receiver that
    still has the old one keeps verifying while you deploy the new one."""
    endpoint, secret = webhook_endpoints.rotate_secret(current_token().course, endpoint_id)
    return {"id": endpoint.id, "secret": secret, "previous_secret_expires_at": endpoint.previous_secret_expires_at}


@blp.route(f"{ENDPOINT}/test", methods=["POST"])
@requires(tokens.WEBHOOKS_MANAGE)
@blp.response(202, schemas.WebhookMessage, headers={
    "Location": {"description": "The message in the delivery log.", "schema": {"type": "string"}}})
def send_test(endpoint_id: int) -> Any:
    """Send a webhook.test event to the endpoint

    Whatever it subscribed to. Follow `Location` to see the attempt."""
    message = webhook_endpoints.send_test(current_token().course, endpoint_id)
    return message_body(message), 202, {"Location": url_for("webhooks.get_message", message_id=message.id)}


@blp.route(f"{ENDPOINT}/recover", methods=["POST"])
@requires(tokens.WEBHOOKS_MANAGE)
@blp.arguments(schemas.RecoverArgs, location="query", as_kwargs=True)
@blp.response(202, schemas.Recovered)
def recover(endpoint_id: int, since: dt.datetime | None) -> dict[str, Any]:
    """Send again what an outage kept from the endpoint

    Every failed message (used all its retries while the endpoint was down), with the same
    `webhook-id` and body, and every message waiting for a retry, now; `?since=` limits it to
    messages created from then on. A receiver that deduplicates on webhook-id is safe to
    recover more than it lost. The endpoint must be enabled."""
    return {"messages": webhook_endpoints.recover(current_token().course, endpoint_id, since)}


@blp.route(f"{ENDPOINT}/messages")
@requires(tokens.WEBHOOKS_MANAGE)
@blp.arguments(schemas.MessageArgs, location="query", as_kwargs=True)
@blp.arguments(pagination.PageArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.WebhookMessageList)
def list_messages(endpoint_id: int, status: str | None, cursor: str | None, limit: int) -> dict[str, Any]:
    """The delivery log of an endpoint

    Its messages, newest first, each with its attempts: the status code, the latency, the start
    of the answer or the error. `?status=failed` lists those that need a replay."""
    course = current_token().course
    filters = {"endpoint": endpoint_id, "status": status}
    before = pagination.decode("webhook-messages", cursor, filters)["id"] if cursor else None
    rows = webhook_endpoints.list_messages(course, endpoint_id, MessageStatus(status) if status else None, before,
                                           limit + 1)
    shown, next_cursor = pagination.page("webhook-messages", rows, limit, filters, lambda m: {"id": m.id})
    return {"data": [message_body(m) for m in shown], "next_cursor": next_cursor}


@blp.route(MESSAGE)
@requires(tokens.WEBHOOKS_MANAGE)
@blp.response(200, schemas.WebhookMessage)
def get_message(message_id: int) -> dict[str, Any]:
    """Get a webhook message with its attempts"""
    return message_body(webhook_endpoints.get_message(current_token().course, message_id))


@blp.route(f"{MESSAGE}/replay", methods=["POST"])
@requires(tokens.WEBHOOKS_MANAGE)
@blp.response(202, schemas.WebhookMessage, headers={
    "Location": {"description": "The message in the delivery log.", "schema": {"type": "string"}}})
def replay_message(message_id: int) -> Any:
    """Send a message again

    Now, with the same `webhook-id` and the same body (signed afresh), and its retries starting
    over. A receiver that deduplicates on webhook-id ignores it if it processed it before. The
    endpoint must be enabled."""
    message = webhook_endpoints.replay(current_token().course, message_id)
    return message_body(message), 202, {"Location": url_for("webhooks.get_message", message_id=message.id)}
