"""Pages for TAs and instructors: the course overview, the roster with its import and its
set-password links, and (instructors) the API tokens of the course's integrations and their
webhook endpoints with the delivery log."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from app.auth.access import course_view
from app.auth.forms import RosterImportForm
from app.models import MessageStatus
from app.services import access, accounts, class_stats, password_links, tokens, webhook_endpoints
from app.services import roster as rosters
from app.services.access import Membership
from app.services.errors import NotFound, ServiceError
from app.staff.forms import TokenForm
from app.ui import count_of

# The blueprint lives with its routes, so the package imports them and they never import it back.
bp = Blueprint("staff", __name__)

NO_STORE = {"Cache-Control": "no-store"}  # pages that show live set-password links


@bp.get("/<course_code>/")
@course_view(access.STAFF)
def course(member: Membership) -> str:
    disabled = webhook_endpoints.disabled_endpoints(member.course) if member.is_instructor else []
    students, activity = class_stats.course_activity(member.course.id)
    return render_template("staff/course.html", member=member, assignments=access.course_assignments(member),
                           disabled_webhooks=disabled, students=students, activity=activity)


@bp.get("/<course_code>/roster")
@course_view(access.STAFF)
def roster(member: Membership) -> Response:
    html = render_template("staff/roster.html", member=member, people=accounts.course_accounts(member),
                           token_for=password_links.token_for)
    return Response(html, headers=NO_STORE, mimetype="text/html")


@bp.get("/<course_code>/roster/links.csv")
@course_view(access.STAFF)
def roster_links(member: Membership) -> Response:
    """The live set-password links the viewer may hand out, for a mail merge."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", "role", "kind", "link", "expires_utc"])
    for person in accounts.course_accounts(member):
        if person.link is not None:
            writer.writerow([person.user.email, person.user.name, person.role.value, person.link.purpose.value,
                             url_for("auth.set_password", token=password_links.token_for(person.link), _external=True),
                             f"{person.link.expires_at:%Y-%m-%d %H:%M}"])
    filename = f"{secure_filename(member.course.code) or 'course'}-set-password-links.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.post("/<course_code>/roster/<int:user_id>/link")
@course_view(access.STAFF)
def issue_link(member: Membership, user_id: int) -> Response:
    """A new set-password link for someone of the course (replacing their earlier ones)."""
    link = password_links.issue_for(member, user_id)
    kind = "invitation" if link.purpose == "invitation" else "password reset"
    flash(f"New {kind} link for {link.user.email}; it works once, until {link.expires_at:%d %b %Y %H:%M} UTC. "
          "Copy it from the roster below.", "success")
    return redirect(url_for("staff.roster", course_code=member.course.code, _anchor=f"person-{user_id}"))


@bp.route("/<course_code>/roster/import", methods=["GET", "POST"])
@course_view(access.INSTRUCTOR)
def roster_import(member: Membership) -> Response:
    """Import a roster CSV with the rules of `flask roster import`: every bad row reported by its
    line number and nothing imported, or everyone enrolled and invited in one transaction."""
    form = RosterImportForm()
    parsed = None
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        upload = form.file.data
        source = secure_filename(upload.filename or "") or "roster.csv"
        parsed, outcome = rosters.import_file(member.course, upload.read(), source, by=member.user)
        if outcome is not None:
            summary = (f"Roster imported: {count_of(len(outcome.created), 'new account')}, "
                       f"{count_of(outcome.enrolled, 'new enrolment')}"
                       + (f", {count_of(outcome.updated_roles, 'role')} changed" if outcome.updated_roles else "")
                       + (f", {count_of(len(outcome.invited), 'set-password link')} to hand out."
                          if outcome.invited else "."))
            flash(summary, "success")
            for warning in [*outcome.warnings, *(["Ignored columns: " + ", ".join(parsed.ignored_columns)]
                                                 if parsed.ignored_columns else [])]:
                flash(warning, "warning")
            return redirect(url_for("staff.roster", course_code=member.course.code))
    html = render_template("staff/roster_import.html", member=member, form=form, parsed=parsed)
    return Response(html, status=status, mimetype="text/html")


def tokens_page(member: Membership, form: TokenForm, secret: str | None = None, status: int = 200) -> Response:
    page = render_template("staff/tokens.html", member=member, form=form, secret=secret,
                           tokens=tokens.list_tokens(member.course.code))
    # A new token is on the page once: keep every version of it out of caches.
    return Response(page, status=status, headers={"Cache-Control": "no-store"}, mimetype="text/html")


@bp.get("/<course_code>/tokens")
@course_view(access.INSTRUCTOR)
def api_tokens(member: Membership) -> Response:
    return tokens_page(member, TokenForm())


@bp.post("/<course_code>/tokens")
@course_view(access.INSTRUCTOR)
def create_token(member: Membership) -> Response:
    """A new token, shown on the page this once (not kept in a flash message or a redirect)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return tokens_page(member, form, status=422)
    try:
        token, secret = tokens.create(member.course.code, form.name.data, form.scopes.data, created_by=member.user)
    except ServiceError as exc:
        form.name.errors = [*form.name.errors, str(exc)]
        return tokens_page(member, form, status=422)
    flash(f"Token {token.name!r} created. Copy it now: it is shown only this once.", "success")
    return tokens_page(member, TokenForm(formdata=None), secret=secret)


@bp.post("/<course_code>/tokens/<int:token_id>/revoke")
@course_view(access.INSTRUCTOR)
def revoke_token(member: Membership, token_id: int) -> Response:
    try:
        token = tokens.revoke(token_id, course=member.course)
    except NotFound:
        abort(404)
    flash(f"Token {token.name!r} (…{token.hint}) revoked: requests with it are refused from now on.", "success")
    return redirect(url_for("staff.api_tokens", course_code=member.course.code))


LOG_SIZE = 50  # messages on the webhooks page; the API pages through all of them


@bp.get("/<course_code>/webhooks")
@course_view(access.INSTRUCTOR)
def webhooks(member: Membership) -> str:
    """The course's webhook endpoints (disabled ones first, with why) and the latest messages
    with their attempts; ?status=failed shows only the messages that need a replay."""
    status = request.args.get("status")
    shown = MessageStatus(status) if status in {s.value for s in MessageStatus} else None
    endpoints = sorted(webhook_endpoints.summaries(member.course), key=lambda s: (s.endpoint.state.value != "disabled",
                                                                                  s.endpoint.id))
    log = webhook_endpoints.list_messages(member.course, status=shown, limit=LOG_SIZE)
    return render_template("staff/webhooks.html", member=member, endpoints=endpoints, log=log, status=shown,
                           statuses=list(MessageStatus), log_size=LOG_SIZE)


@bp.post("/<course_code>/webhooks/messages/<int:message_id>/replay")
@course_view(access.INSTRUCTOR)
def replay_webhook(member: Membership, message_id: int) -> Response:
    try:
        message = webhook_endpoints.replay(member.course, message_id)
    except NotFound:
        abort(404)
    except webhook_endpoints.EndpointDisabled as exc:
        flash(f"Not replayed: {exc}.", "error")
    else:
        flash(f"Message {message.msg_id} ({message.event_type}) will be sent again now, with the same webhook-id.",
              "success")
    return redirect(url_for("staff.webhooks", course_code=member.course.code, _anchor=f"message-{message_id}"))


@bp.post("/<course_code>/webhooks/<int:endpoint_id>/enabled")
@course_view(access.INSTRUCTOR)
def toggle_webhook(member: Membership, endpoint_id: int) -> Response:
    """Enable (form field enabled=1) or disable an endpoint."""
    enabled = request.form.get("enabled") == "1"
    try:
        endpoint = webhook_endpoints.set_enabled(member.course, endpoint_id, enabled, by=member.user.name)
    except NotFound:
        abort(404)
    flash(f"Endpoint {endpoint.url} {'enabled: deliveries resume' if enabled else 'disabled: nothing is sent to it'}.",
          "success")
    return redirect(url_for("staff.webhooks", course_code=member.course.code, _anchor=f"endpoint-{endpoint_id}"))


@bp.post("/<course_code>/webhooks/<int:endpoint_id>/recover")
@course_view(access.INSTRUCTOR)
def recover_webhooks(member: Membership, endpoint_id: int) -> Response:
    """Send again every failed message of an endpoint, and its waiting ones now."""
    try:
        count = webhook_endpoints.recover(member.course, endpoint_id)
    except NotFound:
        abort(404)
    except webhook_endpoints.EndpointDisabled as exc:
        flash(f"Nothing sent: {exc}.", "error")
    else:
        flash(f"{count} message{'s' if count != 1 else ''} will be sent again now." if count
              else "No failed or waiting message to send again.", "success")
    return redirect(url_for("staff.webhooks", course_code=member.course.code, _anchor=f"endpoint-{endpoint_id}"))
