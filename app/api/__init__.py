"""The REST API, /api/v1, for an LMS or a course's scripts: one flask-smorest blueprint per
resource, bearer tokens with scopes (auth.py), problem+json errors (problems.py), keyset
pages (pagination.py), per-token rate limits (limits.py), the OpenAPI 3.1 document at
/api/v1/openapi.json and its human-readable page at /api/v1/docs (reference.py)."""

from __future__ import annotations

from flask import Flask

from app.api import assignments, problems, reference, submissions, webhooks
from app.api.openapi import ProblemApi
from app.services.errors import ServiceError

# The resources, in the order the reference lists them.
RESOURCES = (assignments.blp, submissions.blp, webhooks.blp)


def init_app(app: Flask) -> ProblemApi:
    api = ProblemApi(app)
    for blueprint in RESOURCES:
        api.register_blueprint(blueprint, url_prefix=problems.PREFIX)
    app.register_error_handler(ServiceError, _service_error)
    app.register_blueprint(reference.bp, url_prefix=problems.PREFIX)
    app.extensions["nablagrade.api"] = api
    return api


def _service_error(error: ServiceError):  # noqa: ANN202 - a Flask error handler
    """A service's refusal inside an API view; anywhere else, left to the page that let it out."""
    from flask import request

    if problems.under_api(request.path):
        return problems.for_service_error(error)
    raise error
