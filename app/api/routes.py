"""Routes of the api blueprint."""

from app.api import bp  # noqa: F401
