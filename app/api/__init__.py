"""The REST API, /api/v1 (its own issue adds the resources)."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from app.api import routes  # noqa: E402,F401  (registers the routes on bp)
