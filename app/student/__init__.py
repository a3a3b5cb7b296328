"""Pages for students: assignments, upload, results (the web-pages issue adds them)."""

from flask import Blueprint

bp = Blueprint("student", __name__)

from app.student import routes  # noqa: E402,F401  (registers the routes on bp)
