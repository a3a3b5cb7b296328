"""The student blueprint and its routes."""

from flask import Blueprint

# The blueprint lives with its routes, so the package imports them and they never import it back.
bp = Blueprint("student", __name__)
