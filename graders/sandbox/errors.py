"""The one error the sandbox raises to its callers."""


class SandboxUnavailable(Exception):
    """Isolation cannot be set up; the message says exactly what is missing."""
