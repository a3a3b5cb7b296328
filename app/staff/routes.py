"""Pages for TAs and instructors: the course overview and the roster with set-password links."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from app.auth.access import course_view
from app.services import access, accounts, password_links
from app.services.access import Membership

# The blueprint lives with its routes, so the package imports them and they never import it back.
bp = Blueprint("staff", __name__)


@bp.get("/<course_code>/")
@course_view(access.STAFF)
def course(member: Membership) -> str:
    return render_template("staff/course.html", member=member, assignments=access.course_assignments(member))


@bp.get("/<course_code>/roster")
@course_view(access.STAFF)
def roster(member: Membership) -> Response:
    response = render_template("staff/roster.html", member=member, people=accounts.course_accounts(member),
                               token_for=password_links.token_for)
    # The page shows live set-password links: keep it out of caches.
    return Response(response, headers={"Cache-Control": "no-store"}, mimetype="text/html")


@bp.post("/<course_code>/roster/<int:user_id>/link")
@course_view(access.STAFF)
def issue_link(member: Membership, user_id: int) -> Response:
    """A new set-password link for someone of the course (replacing their earlier ones)."""
    link = password_links.issue_for(member, user_id)
    kind = "invitation" if link.purpose == "invitation" else "password reset"
    flash(f"New {kind} link for {link.user.email}; it works once, until {link.expires_at:%d %b %Y %H:%M} UTC. "
          "Copy it from the roster below.", "success")
    return redirect(url_for("staff.roster", course_code=member.course.code, _anchor=f"person-{user_id}"))
