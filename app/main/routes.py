"""The landing page and the health check."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template_string

from app.services import health
from graders import __version__

bp = Blueprint("main", __name__)

LANDING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nablagrade</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
<h1>nablagrade {{ version }}</h1>
<p>The grading service is {{ 'up' if report.ok else 'degraded' }}.
Health: <a href="{{ url_for('main.healthz') }}">/healthz</a>.</p>
</body></html>
"""


@bp.get("/")
def index() -> str:
    return render_template_string(LANDING, report=health.check(), version=__version__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """JSON state of the database, the broker and the live workers; 503 when any is down."""
    report = health.check()
    return jsonify(report.as_dict()), 200 if report.ok else 503
