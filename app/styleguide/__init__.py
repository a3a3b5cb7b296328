"""The style guide: every macro, widget and library of the design system on one page, so the
browser tests can check them together (registered in debug and test runs only, by app.ui)."""

from flask import Blueprint

bp = Blueprint("styleguide", __name__)

from app.styleguide import routes  # noqa: E402,F401  (registers the routes on bp)
