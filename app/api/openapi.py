"""flask-smorest's Api, made to speak problem+json: every error response documented and
answered as RFC 9457, the bearer scheme, and the webhook events in the document's
`webhooks` section (OpenAPI 3.1)."""

from __future__ import annotations

import http
from typing import Any

from apispec.ext.marshmallow.common import resolve_schema_cls
from flask import request
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException

from app.api import problems, schemas
from app.api.auth import SCHEME
from app.services import webhook_events

DESCRIPTION = """\
The REST API of nablagrade for an LMS or a course's scripts. Authenticate with
`Authorization: Bearer <token>`; a token belongs to one course and one integration and has
scopes (`flask tokens create --course CODE --name NAME --scope S`). Lists answer
`{"data": [...], "next_cursor": ...}`: pass `?cursor=<next_cursor>` for the next page and
`?limit=` for its size. Every error is `application/problem+json` (RFC 9457). The
human-readable reference is at /api/v1/docs."""

SIGNATURE_HEADERS = [
    {"in": "header", "name": "webhook-id", "required": True, "schema": {"type": "string"},
     "description": "The message id: the same on every retry, so deduplicate on it."},
    {"in": "header", "name": "webhook-timestamp", "required": True, "schema": {"type": "string"},
     "description": "Unix seconds when this attempt was signed; refuse ones too far from your clock."},
    {"in": "header", "name": "webhook-signature", "required": True, "schema": {"type": "string"},
     "description": "Space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>` with the endpoint's secret "
                    "(two of them while a rotated secret is in its grace period)."},
]


def webhooks_section() -> dict[str, Any]:
    """One `post` per event type: the request nablagrade sends to a subscribed endpoint."""
    section = {}
    for event in webhook_events.EVENTS.values():
        section[event.type] = {"post": {
            "summary": event.type,
            "description": event.description + " Signed as Standard Webhooks specify.",
            "operationId": "webhook_" + event.type.replace(".", "_"),
            "parameters": SIGNATURE_HEADERS,
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{event.schema_name}"},
                "example": event.example}}},
            "responses": {
                "2XX": {"description": "Received. Anything else (a redirect included) is retried with back-off."},
                "410": {"description": "Gone: the endpoint is disabled and nothing more is sent."},
                "429": {"description": "Too many: retried no sooner than its Retry-After (seconds or an HTTP date)."},
                "503": {"description": "Unavailable: retried no sooner than its Retry-After."},
            },
        }}
    return section


class ProblemApi(Api):
    """The API extension of one app: its OpenAPI document and its error answers."""

    ERROR_SCHEMA = schemas.ProblemDetails

    def __init__(self, app: Any) -> None:
        super().__init__(app, spec_kwargs={
            "info": {"description": DESCRIPTION},
            "webhooks": webhooks_section(),
            "security": [{SCHEME: []}],
        })
        self.spec.components.security_scheme(SCHEME, {
            "type": "http", "scheme": "bearer", "bearerFormat": "ngt_<43 characters>",
            "description": "An integration token of one course (`flask tokens create`)."})
        for event in webhook_events.EVENTS.values():
            self.spec.components.schema(event.schema_name, schema=event.schema)
        for extra in (schemas.SubmissionCreate,):
            self.spec.components.schema(resolve_schema_cls(extra).__name__, schema=extra)

    def _register_responses(self) -> None:
        # flask-smorest's, with the problem+json media type instead of application/json.
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457): the status and `detail` say what happened.",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Any:
        """Problem+json under /api/v1; the web pages keep their own errors."""
        if not problems.under_api(request.path):
            return error
        return problems.for_http_exception(error)

    def document(self) -> dict[str, Any]:
        return self.spec.to_dict()

