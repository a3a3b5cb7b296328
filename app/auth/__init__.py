"""Login and logout (the web-pages issue adds the routes)."""

from app.auth.routes import bp

__all__ = ["bp"]
