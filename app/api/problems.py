"""RFC 9457 problem details: every 4xx and 5xx under /api/v1 is `application/problem+json`
with a `detail` that says what happened and what to do, from one place.

A view raises `Problem` for a refusal of its own; a service's refusal (ServiceError) and
Werkzeug's own errors (404, 405, 413, 415, a marshmallow 422, flask-limiter's 429, a 500)
are turned into one here."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request, url_for
from werkzeug.exceptions import HTTPException, InternalServerError

from app.services import integrations, submissions, webhook_endpoints, webhook_targets
from app.services.errors import NotFound, ServiceError

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
MEDIA_TYPE = "application/problem+json"

# The problems with a type of their own; each is documented under its slug on the reference page.
TYPES: dict[str, str] = {
    "invalid-token": "The Authorization header is missing, malformed, or names an unknown or revoked token.",
    "insufficient-scope": "The token is valid but lacks the scope the operation needs.",
    "invalid-cursor": "The cursor is not one this API gave out for this listing and these filters.",
    "invalid-request": "The request body or a parameter does not have the expected shape; `errors` says where.",
    "unsupported-media-type": "The body is neither multipart/form-data nor application/json.",
    "file-too-large": "The submitted file is over the size limit.",
    "unreadable-file": "The submitted file is empty, binary or not UTF-8 text.",
    "past-due": "The assignment's due date has passed and it accepts no late submission.",
    "daily-limit": "The student has used today's submissions for the assignment; Retry-After says when they reset.",
    "submission-refused": "The submission was refused by another rule; `detail` says which.",
    "idempotency-key-reused": "The Idempotency-Key was used before with a different request.",
    "external-user-conflict": "The email given belongs to a student with another external_user_id.",
    "not-graded": "The submission has no result yet (queued or running), or grading failed.",
    "rate-limited": "Too many requests with this token; Retry-After says when to try again.",
    "invalid-webhook-url": "The webhook URL is not http(s), names no host, or points at a private or local address.",
    "endpoint-disabled": "The webhook endpoint is disabled; enable it (PATCH enabled: true) first.",
}

# Werkzeug's descriptions are written for browsers; these say what an API client should do.
DETAILS: dict[int, str] = {
    404: "There is nothing at this address. The API's operations are listed at /api/v1/docs.",
    405: "This address does not accept the {method} method; the Allow header lists those it does.",
    413: "The request body is larger than the {limit} the API accepts.",
    415: "The request body's media type is not one this operation accepts.",
    429: "Too many requests with this token ({limit}); Retry-After says how many seconds to wait.",
    500: "The server failed to answer; the error is logged. Retrying later is safe.",
}


class Problem(HTTPException):
    """A refusal with a problem type of its own (a slug of TYPES), its detail and extra members."""

    def __init__(self, status: int, slug: str, detail: str, headers: Mapping[str, str] | None = None,
                 **members: Any) -> None:
        super().__init__(description=detail)
        assert slug in TYPES, slug
        self.code = status
        self.slug = slug
        self.extra_headers = dict(headers or {})
        self.members = members


def under_api(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def type_uri(slug: str | None) -> str:
    if slug is None:
        return "about:blank"  # RFC 9457: the status code says it all
    return url_for("api-reference.reference", _external=True, _anchor=f"problem-{slug}")


def problem_response(status: int, detail: str, slug: str | None = None, title: str | None = None,
                     headers: Mapping[str, str] | None = None, **members: Any) -> Response:
    from http import HTTPStatus

    body = {"type": type_uri(slug), "title": title or HTTPStatus(status).phrase, "status": status,
            "detail": detail, "instance": request.path, **members}
    response = current_app.response_class(json.dumps(_plain(body), default=str), status=status,
                                          mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _plain(value: Any) -> Any:
    """Keys as strings: a fuzzed form can name a field None, and JSON keys are strings."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _size(limit: int | None) -> str:
    if not limit:
        return "limit"
    return f"{limit // 1024} KiB" if limit < 1024 * 1024 else f"{limit / (1024 * 1024):g} MiB"


def _validation_detail(messages: Mapping[str, Any]) -> str:
    """One line naming every field that failed, e.g. "limit (query): Must be ... 200."."""
    parts = []
    for location, fields in messages.items():
        if not isinstance(fields, Mapping):
            parts.append(f"{location}: {fields}")
            continue
        for field, problems in fields.items():
            for path, text in _field_problems(str(field), problems):
                parts.append(f"{path} ({location}): {text}")
    return "; ".join(parts) or "the request is not valid"


def _field_problems(path: str, problems: Any) -> list[tuple[str, str]]:
    """A field's messages; those of a list's items or a nested object under events[0] or a.b."""
    if isinstance(problems, list) and all(isinstance(p, str) for p in problems):
        return [(path, " ".join(problems))]
    if isinstance(problems, Mapping):
        return [found for key, inner in problems.items()
                for found in _field_problems(f"{path}[{key}]" if str(key).isdigit() else f"{path}.{key}", inner)]
    return [(path, json.dumps(_plain(problems), default=str))]


def for_http_exception(error: HTTPException) -> Response:
    """The problem document of any HTTPException raised under /api/v1."""
    if isinstance(error, Problem):
        return problem_response(error.code, error.description, error.slug, headers=error.extra_headers,
                                **error.members)
    status = error.code or 500
    # Allow (405) and the like; the problem document sets its own Content-Type.
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        # webargs (flask-smorest's parser): {"query": {"limit": ["..."]}} and the like.
        headers.update(data.get("headers") or {})
        return problem_response(422, _validation_detail(data["messages"]), "invalid-request", headers=headers,
                                errors=data["messages"])
    if status == 429:
        limit = getattr(error, "limit", None)
        return problem_response(429, DETAILS[429].format(limit=getattr(limit, "limit", "over the limit")),
                                "rate-limited", headers=headers)
    if status >= 500:
        if isinstance(error, InternalServerError) and error.original_exception is not None:
            log.error("API request %s %s failed", request.method, request.path, exc_info=error.original_exception)
        detail = DETAILS[500]
    elif status in DETAILS:
        detail = DETAILS[status].format(method=request.method, limit=_size(current_app.config.get("MAX_CONTENT_LENGTH")))
    else:
        detail = error.description or error.name
    return problem_response(status, detail, headers=headers)


def for_service_error(error: ServiceError) -> Response:
    """A service's refusal, with the status and type its kind calls for."""
    if isinstance(error, NotFound):
        return problem_response(404, str(error))
    if isinstance(error, submissions.DailyLimitReached):
        from app.models import utcnow

        wait = max(1, int((error.resets_at - utcnow()).total_seconds()) + 1)
        return problem_response(429, str(error), "daily-limit", headers={"Retry-After": str(wait)},
                                resets_at=error.resets_at.isoformat())
    kinds: list[tuple[type[ServiceError], int, str]] = [
        (submissions.FileTooLarge, 413, "file-too-large"),
        (submissions.UnreadableFile, 422, "unreadable-file"),
        (submissions.PastDue, 422, "past-due"),
        (submissions.SubmissionRejected, 422, "submission-refused"),
        (integrations.IdempotencyConflict, 409, "idempotency-key-reused"),
        (integrations.ExternalUserConflict, 409, "external-user-conflict"),
        (webhook_targets.TargetRefused, 422, "invalid-webhook-url"),
        (webhook_endpoints.EndpointDisabled, 409, "endpoint-disabled"),
    ]
    for kind, status, slug in kinds:
        if isinstance(error, kind):
            return problem_response(status, str(error), slug)
    return problem_response(422, str(error), "invalid-request")
