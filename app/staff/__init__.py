"""Pages for TAs and instructors: the course, its roster and tokens (routes.py), and each
assignment's dashboard, students, submissions, overrides, extensions, regrades and exports
(assignment_routes.py)."""

from app.staff import assignment_routes  # noqa: F401 - registers its routes on bp
from app.staff.routes import bp

__all__ = ["bp"]
