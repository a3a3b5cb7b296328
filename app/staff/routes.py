"""Routes of the staff blueprint."""

from app.staff import bp  # noqa: F401
