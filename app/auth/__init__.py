"""Login and logout (the web-pages issue adds the routes)."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from app.auth import routes  # noqa: E402,F401  (registers the routes on bp)
