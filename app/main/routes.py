"""The front door (a welcome page, or the list of one's courses), the course switcher and /healthz."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, request
from flask_login import current_user, login_required

from app.auth.access import course_home, viewer
from app.services import access, health
from graders import __version__

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    if not current_user.is_authenticated:
        return render_template("main/landing.html", version=__version__)
    return render_template("main/courses.html", memberships=access.memberships(viewer()), course_home=course_home)


@bp.get("/courses/switch")
@login_required
def switch_course() -> Response:
    """The course switcher's target: the chosen course's start page for the viewer's role there."""
    member = access.membership(viewer(), request.args.get("course", ""))
    return redirect(course_home(member))  # type: ignore[return-value]


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """JSON state of the database, the broker and the live workers; 503 when any is down."""
    report = health.check()
    return jsonify(report.as_dict()), 200 if report.ok else 503
