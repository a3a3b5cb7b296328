"""Pages for students: assignments, upload, results (the web-pages issue adds them)."""

from app.student.routes import bp

__all__ = ["bp"]
