"""Routes of the student blueprint."""

from app.student import bp  # noqa: F401
