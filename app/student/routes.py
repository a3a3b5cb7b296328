"""Pages for students: the course page (the submission pages build on it)."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.auth.access import course_view
from app.services import access
from app.services.access import Membership

# The blueprint lives with its routes, so the package imports them and they never import it back.
bp = Blueprint("student", __name__)


@bp.get("/<course_code>/")
@course_view(access.STUDENT)
def course(member: Membership) -> str:
    return render_template("student/course.html", member=member, assignments=access.course_assignments(member))
