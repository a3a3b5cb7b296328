"""The errors services raise for things a person can fix: the message is shown as is."""

from __future__ import annotations


class ServiceError(ValueError):
    """An operation refused; the message says why, in one line, for whoever asked."""


class NotFound(ServiceError):
    """The course, user, assignment or submission named does not exist."""
