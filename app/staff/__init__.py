"""Pages for TAs and instructors: gradebook, regrades (the web-pages issue adds them)."""

from flask import Blueprint

bp = Blueprint("staff", __name__)

from app.staff import routes  # noqa: E402,F401  (registers the routes on bp)
