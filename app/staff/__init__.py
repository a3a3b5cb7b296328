"""Pages for TAs and instructors: gradebook, regrades (the web-pages issue adds them)."""

from app.staff.routes import bp

__all__ = ["bp"]
