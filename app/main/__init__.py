"""Service-level routes: the landing page and /healthz."""

from app.main.routes import bp

__all__ = ["bp"]
