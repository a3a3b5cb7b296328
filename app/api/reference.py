"""/api/v1/docs: the API reference as a page, rendered on the server from the same OpenAPI
document as /api/v1/openapi.json. No script and no outside asset, so the strict CSP holds."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from app.api.problems import TYPES

bp = Blueprint("api-reference", __name__)


@bp.get("/docs")
def reference() -> str:
    document = current_app.extensions["nablagrade.api"].document()
    return render_template("api/reference.html", doc=document, problem_types=TYPES)
