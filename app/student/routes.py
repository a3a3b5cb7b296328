"""Pages for students: the course, an assignment (statements, policies, submitting by upload or
editor, history), a submission with its live status and results, and the diff of two attempts."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from app.auth.access import course_view, viewer
from app.error_pages import render_error
from app.models import Assignment, Submission, SubmissionStatus, utcnow
from app.result_view import capped_output, problem_views
from app.services import access, assignments, coursework, overrides, submissions
from app.services.access import Membership
from app.services.errors import NotFound, ServiceError
from app.statements import render_statement
from app.student.forms import EditorForm, UploadForm
from graders.assignment import AssignmentError
from graders.interface import describe, starter_source
from graders.problem import get_problem
from graders.submission import MAX_BYTES

# The blueprint lives with its routes, so the package imports them and they never import it back.
bp = Blueprint("student", __name__)

PRIVATE = {"Cache-Control": "private, no-cache"}
log = logging.getLogger(__name__)


@bp.get("/<course_code>/")
@course_view(access.STUDENT)
def course(member: Membership) -> str:
    return render_template("student/course.html", member=member, standings=coursework.course_standings(member))


def _spec(member: Membership, assignment: Assignment) -> Any:
    try:
        return assignments.load_spec(member.course.code, assignment.name).spec
    except (AssignmentError, KeyError, FileNotFoundError):
        return None  # the file went away or broke after the sync: the page shows what the row knows


def _interface(problem_id: str, spec: Any, config: Any) -> Any:
    if config is None:
        return None
    try:
        return describe(problem_id, spec.seed, config.trials)
    except (KeyError, ValueError, OSError, RuntimeError):
        # The shapes are a help, not the page: a reference that cannot be read now leaves them out.
        log.exception("no interface for %s", problem_id)
        return None


def _problems(member: Membership, assignment: Assignment, spec: Any) -> list[dict[str, Any]]:
    shown = []
    for entry in assignment.problems:
        try:
            problem = get_problem(entry["id"])
        except KeyError:
            continue  # a problem gone from the bank since the sync: the row still lists it, the page cannot
        config = next((c for c in spec.problems if c.problem.id == problem.id), None) if spec is not None else None
        shown.append({"entry": entry, "problem": problem, "statement": render_statement(problem.statement),
                      "interface": _interface(problem.id, spec, config),
                      "tolerance": config.tolerance if config is not None else None})
    return shown


def _render_assignment(member: Membership, assignment: Assignment, upload: UploadForm, editor: EditorForm,
                       status: int = 200) -> Response:
    spec = _spec(member, assignment)
    standing = coursework.standing(member, assignment)
    if editor.source.data is None:
        latest = standing.latest
        editor.source.data = latest.code if latest is not None else (starter_source(spec) if spec else "")
    html = render_template("student/assignment.html", member=member, assignment=assignment, standing=standing,
                           problems=_problems(member, assignment, spec), upload=upload, editor=editor,
                           spec=spec)
    return make_response(html, status, PRIVATE)


@bp.get("/<course_code>/<name>/")
@course_view(access.STUDENT)
def assignment(member: Membership, name: str) -> Response:
    return _render_assignment(member, access.assignment_named(member, name), UploadForm(), EditorForm())


@bp.get("/<course_code>/<name>/starter.py")
@course_view(access.STUDENT)
def starter(member: Membership, name: str) -> Response:
    """Signatures and docstrings of every function of the assignment, and no solution."""
    found = access.assignment_named(member, name)
    spec = _spec(member, found)
    if spec is None:
        raise NotFound(f"{found.name} has no starter file right now")
    filename = f"{secure_filename(found.name) or 'assignment'}_starter.py"
    return Response(starter_source(spec), mimetype="text/x-python",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', **PRIVATE})


@bp.post("/<course_code>/<name>/submit")
@course_view(access.STUDENT)
def submit(member: Membership, name: str) -> Response:
    """Upload a .py file or send the editor's code; a refusal is shown on the form it came from
    and stores nothing. Success goes to the submission's page, which follows its grading."""
    found = access.assignment_named(member, name)
    upload, editor = UploadForm(), EditorForm()
    from_editor = "source" in request.form and "file" not in request.files
    form = editor if from_editor else upload
    if not form.validate_on_submit():
        return _render_assignment(member, found, upload, editor, 422)
    if from_editor:
        data, filename = (editor.source.data or "").encode("utf-8"), f"{found.name}.py"
    else:
        sent = upload.file.data
        if sent is None or not getattr(sent, "filename", ""):
            upload.file.errors.append("Choose a .py file to upload.")
            return _render_assignment(member, found, upload, editor, 422)
        data, filename = sent.read(), secure_filename(sent.filename) or sent.filename
    try:
        made = submissions.submit(member.user, member.course.code, found.name, data, filename,
                                  repeat_window=submissions.REPEAT_WINDOW)
    except submissions.SubmissionRejected as exc:
        message = str(exc).rstrip(".")
        # "Not sent:" first, so a message that starts with a file name keeps its case.
        (editor.source if from_editor else upload.file).errors.append(f"Not sent: {message}.")
        return _render_assignment(member, found, upload, editor, 422)
    flash(f"Attempt {made.attempt} received and queued for grading.", "success")
    return redirect(url_for("student.submission", course_code=member.course.code, submission_id=made.id), 303)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge) -> Response:
    """A body over MAX_CONTENT_LENGTH is refused before any view or CSRF check can read it: the
    upload form says so, like any other refusal, rather than a bare error page."""
    args = request.view_args or {}
    if request.endpoint != "student.submit" or not current_user.is_authenticated:
        return make_response(render_error(413)[0], 413)
    try:
        member = access.membership(viewer(), args.get("course_code", ""), access.STUDENT)
        found = access.assignment_named(member, args.get("name", ""))
    except ServiceError:
        return make_response(render_error(413)[0], 413)  # not theirs to upload to: say no more than that
    upload, editor = UploadForm(formdata=None), EditorForm(formdata=None)
    limit = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) // 1024
    upload.file.errors = [f"Not sent: the file is far over the limit of {MAX_BYTES // 1024} KiB (the request was over "
                          f"{limit} KiB)."]
    return _render_assignment(member, found, upload, editor, 413)


def _tolerances(member: Membership, submission: Submission) -> dict[str, float]:
    spec = _spec(member, submission.assignment)
    return {c.problem.id: c.tolerance for c in spec.problems} if spec is not None else {}


def poll_interval(submission: Submission, now: dt.datetime) -> str:
    """How often the status fragment asks again: often at first, less as the wait grows."""
    waited = (now - submission.submitted_at).total_seconds()
    return "2s" if waited < 30 else ("5s" if waited < 120 else "10s")


def _status_context(member: Membership, submission: Submission, position: int | None = None) -> dict[str, Any]:
    final = coursework.is_final(submission)
    if position is None:
        position = coursework.queue_position(submission)
    context: dict[str, Any] = {"member": member, "submission": submission, "final": final,
                               "override": overrides.current(submission), "position": position,
                               "retrying": submission.status is SubmissionStatus.ERROR and not final,
                               "interval": None if final else poll_interval(submission, utcnow())}
    if submission.status is SubmissionStatus.GRADED and submission.result:
        context["problems"] = problem_views(submission.result, _tolerances(member, submission))
        context["output"], context["output_more"] = capped_output(submission.result)
    return context


@bp.get("/<course_code>/submissions/<int:submission_id>")
@course_view(access.STUDENT)
def submission(member: Membership, submission_id: int) -> Response:
    found = access.submission_for(member, submission_id)
    standing = coursework.standing(member, found.assignment)
    html = render_template("student/submission.html", standing=standing, assignment=found.assignment,
                           **_status_context(member, found))
    return make_response(html, 200, PRIVATE)


@bp.get("/<course_code>/submissions/<int:submission_id>/status")
@course_view(access.STUDENT)
def status(member: Membership, submission_id: int) -> Response:
    """The live part of the submission page, polled by htmx until the status is final. The ETag
    names what the fragment shows, so an unchanged poll is answered 304 without rendering."""
    found = access.submission_for(member, submission_id)
    position = coursework.queue_position(found)
    final = coursework.is_final(found)
    interval = None if final else poll_interval(found, utcnow())
    tag = hashlib.sha256(f"{found.id}:{found.status.value}:{found.updated_at.isoformat()}:{position}:{interval}"
                         .encode()).hexdigest()[:32]
    response = make_response("", 200, PRIVATE)
    response.set_etag(tag)
    if request.if_none_match.contains(tag):
        return response.make_conditional(request)
    context = _status_context(member, found, position)
    html = render_template("student/_status.html", **context)
    if final:
        html += render_template("student/_attempts.html", member=member, current=found, oob=True,
                                standing=coursework.standing(member, found.assignment))
    response.set_data(html)
    # htmx stops polling on 286; the final fragment carries no trigger either.
    if final and request.headers.get("HX-Request") == "true":
        response.status_code = 286
    return response


@bp.get("/<course_code>/submissions/<int:submission_id>/diff")
@course_view(access.STUDENT)
def diff(member: Membership, submission_id: int) -> Response:
    """This attempt (or ?newer=ID) against another of the same assignment (?against=ID; the
    previous one by default): the history's picker is a plain GET form."""
    newer = access.submission_for(member, request.args.get("newer", type=int) or submission_id)
    standing = coursework.standing(member, newer.assignment)
    against = request.args.get("against", type=int)
    if against is not None:
        older = access.submission_for(member, against)
        if older.assignment_id != newer.assignment_id:
            raise NotFound(f"attempt {against} is not of {newer.assignment.name}")
        if older.attempt > newer.attempt:  # picked the other way round: the diff still reads forwards
            older, newer = newer, older
    else:
        earlier = [s for s in standing.attempts if s.attempt < newer.attempt]
        older = earlier[-1] if earlier else newer
    html = render_template("student/diff.html", member=member, assignment=newer.assignment, standing=standing,
                           older=older, newer=newer)
    return make_response(html, 200, PRIVATE)
