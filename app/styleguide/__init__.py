"""The style guide: every macro, widget and library of the design system on one page, so the
browser tests can check them together (registered in debug and test runs only, by app.ui)."""

from app.styleguide.routes import bp

__all__ = ["bp"]
