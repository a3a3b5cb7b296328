"""Staff pages of one assignment: the dashboard, the students table, a student's attempts with
their extension, a submission in full with its override, regrades with a dry run, and the
CSV exports (streamed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, stream_with_context, url_for
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from app.auth.access import course_view
from app.models import Assignment, RegradePreview, Submission
from app.services import access, class_stats, deadlines, gradebook, overrides, regrades
from app.services.access import Membership
from app.services.errors import NotFound, ServiceError
from app.staff import presenters
from app.staff.forms import ClearOverrideForm, ConfirmForm, ExtensionForm, OverrideForm
from app.staff.routes import bp

PAGE_SIZE = 50


def _assignment(member: Membership, assignment_id: int) -> Assignment:
    try:
        return access.assignment_in(member, assignment_id)
    except NotFound:
        abort(404)


@bp.get("/<course_code>/assignments/<int:assignment_id>/")
@course_view(access.STAFF)
def assignment(member: Membership, assignment_id: int) -> str:
    found = _assignment(member, assignment_id)
    return render_template("staff/assignment.html", member=member, assignment=found,
                           stats=class_stats.dashboard(found))


@bp.get("/<course_code>/assignments/<int:assignment_id>/students")
@course_view(access.STAFF)
def students(member: Membership, assignment_id: int) -> str:
    found = _assignment(member, assignment_id)
    q = request.args.get("q", "")[:200]
    state = request.args.get("state", "all")
    sort = request.args.get("sort", "email")
    direction = "desc" if request.args.get("dir") == "desc" else "asc"
    rows = gradebook.table(found, q=q, state=state, sort=sort, descending=direction == "desc")
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    args = {"course_code": member.course.code, "assignment_id": found.id, "q": q, "state": state}
    return render_template("staff/students.html", member=member, assignment=found, rows=shown, total=len(rows),
                           page=page, pages=pages, q=q, state=state, sort=sort, direction=direction,
                           filters=gradebook.FILTERS, args=args)


def _student_page(member: Membership, found: Assignment, user_id: int, *, extension_form: ExtensionForm | None = None,
                  status: int = 200) -> Response:
    try:
        student = access.student_in(member, user_id)
    except NotFound:
        abort(404)
    row = gradebook.rows_for_student(found, student)
    extension = row.extension
    form = extension_form or ExtensionForm(
        formdata=None, due=(extension.due if extension else found.due or dt.datetime.now(dt.UTC)).replace(tzinfo=None))
    html = render_template("staff/student.html", member=member, assignment=found, student=student, row=row,
                           extension_form=form, confirm=ConfirmForm())
    return Response(html, status=status, mimetype="text/html")


@bp.get("/<course_code>/assignments/<int:assignment_id>/students/<int:user_id>")
@course_view(access.STAFF)
def student(member: Membership, assignment_id: int, user_id: int) -> Response:
    return _student_page(member, _assignment(member, assignment_id), user_id)


@bp.post("/<course_code>/assignments/<int:assignment_id>/students/<int:user_id>/extension")
@course_view(access.STAFF)
def grant_extension(member: Membership, assignment_id: int, user_id: int) -> Response:
    found = _assignment(member, assignment_id)
    try:
        person = access.student_in(member, user_id)
    except NotFound:
        abort(404)
    form = ExtensionForm()
    if not form.validate_on_submit():
        return _student_page(member, found, user_id, extension_form=form, status=422)
    due = form.due.data.replace(tzinfo=dt.UTC)
    try:
        deadlines.grant_extension(member.course.code, found.name, person.email, due, granted_by=member.user,
                                  reason=form.reason.data or "")
    except ServiceError as exc:
        form.due.errors = [*form.due.errors, str(exc)]
        return _student_page(member, found, user_id, extension_form=form, status=422)
    flash(f"{person.name or person.email} now has until {due:%a %d %b %Y, %H:%M} UTC for {found.title}.", "success")
    if due <= dt.datetime.now(dt.UTC):
        flash("That date has already passed: it only changes how late earlier submissions count (after a regrade).",
              "warning")
    return redirect(url_for("staff.student", course_code=member.course.code, assignment_id=found.id, user_id=person.id))


@bp.post("/<course_code>/assignments/<int:assignment_id>/students/<int:user_id>/extension/revoke")
@course_view(access.STAFF)
def revoke_extension(member: Membership, assignment_id: int, user_id: int) -> Response:
    found = _assignment(member, assignment_id)
    try:
        person = access.student_in(member, user_id)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        deadlines.revoke_extension(member.course.code, found.name, person.email)
    except NotFound:
        abort(404)
    flash(f"Extension taken back: {person.name or person.email} is held to the assignment's due date again.", "success")
    return redirect(url_for("staff.student", course_code=member.course.code, assignment_id=found.id, user_id=person.id))


def _submission(member: Membership, submission_id: int) -> Submission:
    try:
        return access.submission_for(member, submission_id)
    except NotFound:
        abort(404)


def _submission_page(member: Membership, submission: Submission, *, form: OverrideForm | None = None,
                     clear_form: ClearOverrideForm | None = None, status: int = 200) -> Response:
    html = render_template("staff/submission.html", member=member, submission=submission,
                           assignment=submission.assignment, student=submission.user,
                           history=overrides.history(submission), timings=presenters.timings(submission),
                           problems=presenters.problems(submission), override_form=form or OverrideForm(formdata=None),
                           clear_form=clear_form or ClearOverrideForm(formdata=None), confirm=ConfirmForm())
    return Response(html, status=status, mimetype="text/html")


@bp.get("/<course_code>/submissions/<int:submission_id>")
@course_view(access.STAFF)
def submission(member: Membership, submission_id: int) -> Response:
    return _submission_page(member, _submission(member, submission_id))


@bp.post("/<course_code>/submissions/<int:submission_id>/override")
@course_view(access.STAFF)
def override(member: Membership, submission_id: int) -> Response:
    found = _submission(member, submission_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        return _submission_page(member, found, form=form, status=422)
    try:
        overrides.set_override(found, float(form.score.data), form.comment.data, by=member.user)
    except ServiceError as exc:
        form.score.errors = [*form.score.errors, str(exc)]
        return _submission_page(member, found, form=form, status=422)
    flash(f"Score of {found.user.name or found.user.email}'s attempt {found.attempt} overridden to "
          f"{found.override_score:g}; the student sees your comment.", "success")
    return redirect(url_for("staff.submission", course_code=member.course.code, submission_id=found.id))


@bp.post("/<course_code>/submissions/<int:submission_id>/override/clear")
@course_view(access.STAFF)
def clear_override(member: Membership, submission_id: int) -> Response:
    found = _submission(member, submission_id)
    form = ClearOverrideForm()
    if not form.validate_on_submit():
        return _submission_page(member, found, clear_form=form, status=422)
    try:
        overrides.set_override(found, None, form.comment.data, by=member.user)
    except ServiceError as exc:
        form.comment.errors = [*form.comment.errors, str(exc)]
        return _submission_page(member, found, clear_form=form, status=422)
    flash("Override taken back: the graded score counts again.", "success")
    return redirect(url_for("staff.submission", course_code=member.course.code, submission_id=found.id))


def _csv_response(chunks: Any, filename: str) -> Response:
    # stream_with_context keeps the request (and its database session) alive while the
    # generator runs, after the view has returned.
    return Response(stream_with_context(chunks), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@bp.get("/<course_code>/assignments/<int:assignment_id>/gradebook.csv")
@course_view(access.STAFF)
def export_gradebook(member: Membership, assignment_id: int) -> Response:
    found = _assignment(member, assignment_id)
    layout = request.args.get("layout", "generic")
    if layout not in gradebook.LAYOUTS:
        abort(404)
    name = secure_filename(f"{member.course.code}-{found.name}-{layout}-gradebook.csv")
    return _csv_response(gradebook.gradebook_csv(found, layout), name)


@bp.get("/<course_code>/assignments/<int:assignment_id>/checks.csv")
@course_view(access.STAFF)
def export_checks(member: Membership, assignment_id: int) -> Response:
    found = _assignment(member, assignment_id)
    name = secure_filename(f"{member.course.code}-{found.name}-checks.csv")
    return _csv_response(gradebook.item_analysis_csv(found), name)


# ---- regrades: a dry run first, then the normal queue --------------------------------------------

def _preview(member: Membership, preview_id: int) -> RegradePreview:
    try:
        return regrades.preview_in(member.course.id, preview_id)
    except NotFound:
        abort(404)


@bp.get("/<course_code>/assignments/<int:assignment_id>/regrade")
@course_view(access.STAFF)
def regrade(member: Membership, assignment_id: int) -> str:
    found = _assignment(member, assignment_id)
    return render_template("staff/regrade.html", member=member, assignment=found, confirm=ConfirmForm(),
                           previews=regrades.recent(found))


@bp.post("/<course_code>/assignments/<int:assignment_id>/regrade")
@course_view(access.STAFF)
def preview_regrade(member: Membership, assignment_id: int) -> Response:
    """Start the dry run of a regrade of every submission of the assignment."""
    found = _assignment(member, assignment_id)
    preview = regrades.request_preview(found, member.user)
    return redirect(url_for("staff.regrade_preview", course_code=member.course.code, preview_id=preview.id))


@bp.post("/<course_code>/submissions/<int:submission_id>/regrade")
@course_view(access.STAFF)
def preview_submission_regrade(member: Membership, submission_id: int) -> Response:
    """Start the dry run of a regrade of one submission."""
    found = _submission(member, submission_id)
    preview = regrades.request_preview(found.assignment, member.user, submission=found)
    return redirect(url_for("staff.regrade_preview", course_code=member.course.code, preview_id=preview.id))


@bp.get("/<course_code>/regrades/<int:preview_id>")
@course_view(access.STAFF)
def regrade_preview(member: Membership, preview_id: int) -> Response:
    """The dry run's outcome; while it runs, htmx polls ?fragment=1 (the status part only)."""
    preview = _preview(member, preview_id)
    template = "staff/_regrade_preview.html" if request.args.get("fragment") else "staff/regrade_preview.html"
    html = render_template(template, member=member, preview=preview, assignment=preview.assignment,
                           confirm=ConfirmForm())
    return Response(html, mimetype="text/html", headers={"Cache-Control": "no-store"})


@bp.post("/<course_code>/regrades/<int:preview_id>/commit")
@course_view(access.STAFF)
def commit_regrade(member: Membership, preview_id: int) -> Response:
    preview = _preview(member, preview_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        sent = regrades.commit(preview)
    except ServiceError as exc:
        flash(str(exc), "error")
        return redirect(url_for("staff.regrade_preview", course_code=member.course.code, preview_id=preview.id))
    flash(f"Regrade sent: {sent} submission{'' if sent == 1 else 's'} queued for grading; overrides stay in force.",
          "success")
    if preview.submission_id is not None:
        return redirect(url_for("staff.submission", course_code=member.course.code, submission_id=preview.submission_id))
    return redirect(url_for("staff.assignment", course_code=member.course.code, assignment_id=preview.assignment_id))
