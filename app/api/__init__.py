"""The REST API, /api/v1 (its own issue adds the resources)."""

from app.api.routes import bp

__all__ = ["bp"]
