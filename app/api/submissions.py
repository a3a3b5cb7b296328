"""/api/v1 submissions: send one for a student, follow its status, read its result."""

from __future__ import annotations

import hashlib
import posixpath
import re
from typing import Any

import marshmallow as ma
from flask import Response, json, request, url_for
from flask_smorest import Blueprint

from app.api import limits, schemas
from app.api.auth import current_token, requires
from app.api.problems import Problem
from app.api.schemas import ID_MAX
from app.models import Submission, SubmissionStatus
from app.services import integrations, tokens
from app.services.webhook_events import ags_progress

blp = Blueprint("submissions", __name__, description="Send submissions, follow their grading, read results.")
limits.per_token(blp)

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces
IDEMPOTENCY_PARAMETER = {
    "in": "header", "name": "Idempotency-Key", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Any unique string (a UUID): sending the same request again with the same key returns the "
                   "first one's submission instead of a second one; the same key with a different request is "
                   "a 409. Keys are kept per token.",
}
IF_NONE_MATCH = {"in": "header", "name": "If-None-Match", "required": False, "schema": {"type": "string"},
                 "description": "An ETag from an earlier answer: 304 Not Modified when nothing changed."}
ETAG_HEADER = {"description": "A validator for If-None-Match.", "schema": {"type": "string"}}
REQUEST_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object", "required": ["file", "external_user_id"],
                "properties": {
                    "file": {"type": "string", "contentMediaType": "text/x-python",
                             "description": "The student's .py file (UTF-8, at most 256 KiB)."},
                    "external_user_id": {"type": "string", "minLength": 1, "maxLength": 255,
                                         "pattern": schemas.PRINTABLE},
                    "email": {"type": "string", "format": "email"},
                    "name": {"type": "string", "maxLength": 200, "pattern": schemas.PRINTABLE},
                },
            },
            "encoding": {"file": {"contentType": "text/x-python, text/plain, application/octet-stream"}},
        },
        "application/json": {"schema": {"$ref": "#/components/schemas/SubmissionCreate"}},
    },
}


def submission_body(submission: Submission, external_user_id: str | None) -> dict[str, Any]:
    activity, grading = ags_progress(submission.status)
    return {
        "id": submission.id, "assignment_id": submission.assignment_id,
        "assignment_name": submission.assignment.name, "external_user_id": external_user_id,
        "attempt": submission.attempt, "status": submission.status.value,
        "score": submission.score if submission.status is SubmissionStatus.GRADED else None,
        "max_score": submission.max_score if submission.max_score is not None else submission.assignment.max_score,
        "late_days": submission.late_days, "activity_progress": activity, "grading_progress": grading,
        "submitted_at": submission.submitted_at, "started_at": submission.started_at,
        "graded_at": submission.graded_at, "errored_at": submission.errored_at,
        "updated_at": submission.updated_at,
        "result_url": url_for("submissions.get_result", submission_id=submission.id),
    }


def conditional(document: dict[str, Any]) -> Response:
    """The document with a strong ETag of its bytes; 304 when If-None-Match has it."""
    body = json.dumps(document)
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    # Revalidate every time: a queued submission's state changes without a new URL.
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def _invalid(errors: dict[str, Any], location: str) -> Problem:
    detail = "; ".join(f"{field} ({location}): {' '.join(map(str, messages))}" for field, messages in errors.items())
    return Problem(422, "invalid-request", detail, errors={location: errors})


def read_upload() -> tuple[dict[str, Any], bytes, str]:
    """(fields, file bytes, file name) from a multipart or a JSON body."""
    if request.mimetype == "multipart/form-data":
        try:
            fields = schemas.SubmissionForm().load({k: v for k, v in request.form.items() if k != "file"})
        except ma.ValidationError as exc:
            raise _invalid(exc.normalized_messages(), "form") from None
        upload = request.files.get("file")
        if upload is not None:
            filename = CONTROL.sub("", posixpath.basename((upload.filename or "").replace("\\", "/")))
            return fields, upload.read(), (filename or "submission.py")[:255]
        if "file" in request.form:  # a client that sent the source as a plain form field
            return fields, request.form["file"].encode("utf-8"), "submission.py"
        raise _invalid({"file": ["Missing data for required field."]}, "files")
    if request.mimetype == "application/json" or request.mimetype.endswith("+json"):
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise Problem(422, "invalid-request", "the body is not a JSON object; send "
                                                  '{"code": "...", "external_user_id": "..."}')
        try:
            fields = schemas.SubmissionCreate().load(body)
        except ma.ValidationError as exc:
            raise _invalid(exc.normalized_messages(), "json") from None
        return fields, fields["code"].encode("utf-8"), posixpath.basename(fields["filename"]) or "submission.py"
    raise Problem(415, "unsupported-media-type",
                  f"send multipart/form-data with a `file` part, or application/json with `code` "
                  f"(got {request.mimetype or 'no Content-Type'})")


@blp.route(f"/assignments/<int(min=1, max={ID_MAX}):assignment_id>/submissions", methods=["POST"])
@requires(tokens.SUBMISSIONS_WRITE)
@limits.submissions
@blp.doc(requestBody=REQUEST_BODY, parameters=[IDEMPOTENCY_PARAMETER])
@blp.response(202, schemas.Submission, headers={
    "Location": {"description": "The submission's URL.", "schema": {"type": "string"}},
    "Idempotent-Replayed": {"description": "true when an earlier request with this Idempotency-Key made it.",
                            "schema": {"type": "string"}}})
def create_submission(assignment_id: int) -> Any:
    """Send a submission for a student

    As a multipart `file` or as JSON `code`, for the student the LMS calls `external_user_id`.
    A student the course does not know yet is created (and enrolled) the first time, linked to
    an existing account when `email` is theirs. The upload rules of the web site apply: the
    size limit, UTF-8 text, the late policy and the daily limit, each refused with its own
    problem type. The answer is immediate (202): follow `Location`, or wait for the
    `submission.graded` webhook."""
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise _invalid({"Idempotency-Key": ["1 to 255 printable ASCII characters, no spaces."]}, "headers")
    fields, data, filename = read_upload()
    token = current_token()
    outcome = integrations.submit(token, assignment_id, fields["external_user_id"], data, filename, key,
                                  fields.get("email"), fields.get("name"))
    body = submission_body(outcome.submission, fields["external_user_id"])
    headers = {"Location": url_for("submissions.get_submission", submission_id=outcome.submission.id)}
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
        body["external_user_id"] = integrations.external_user_id(token.course, outcome.submission.user_id)
    return body, 202, headers


@blp.route(f"/submissions/<int(min=1, max={ID_MAX}):submission_id>")
@requires(tokens.RESULTS_READ)
@blp.doc(parameters=[IF_NONE_MATCH])
@blp.response(200, schemas.Submission, headers={"ETag": ETAG_HEADER})
@blp.alt_response(304, description="Not Modified: the submission is as the ETag given says.")
def get_submission(submission_id: int) -> Response:
    """Get a submission's status and score"""
    course = current_token().course
    submission = integrations.get_submission(course, submission_id)
    body = submission_body(submission, integrations.external_user_id(course, submission.user_id))
    return conditional(schemas.Submission().dump(body))


@blp.route(f"/submissions/<int(min=1, max={ID_MAX}):submission_id>/result")
@requires(tokens.RESULTS_READ)
@blp.doc(parameters=[IF_NONE_MATCH])
@blp.response(200, schemas.Result, headers={"ETag": ETAG_HEADER})
@blp.alt_response(304, description="Not Modified.")
def get_result(submission_id: int) -> Response:
    """Get a graded submission's result, problem by problem and check by check

    Hidden checks are included, marked `visible: false`: show them to students only after the
    course allows it. A submission not graded yet (or whose grading failed) is a 409."""
    course = current_token().course
    submission = integrations.get_submission(course, submission_id)
    if submission.status is not SubmissionStatus.GRADED or submission.result is None:
        state = ("grading failed for a system reason (not the student's fault); course staff can regrade it"
                 if submission.status is SubmissionStatus.ERROR else f"it is {submission.status.value}")
        raise Problem(409, "not-graded", f"submission {submission_id} has no result: {state}",
                      headers={"Retry-After": "5"} if submission.status is not SubmissionStatus.ERROR else {})
    document = submission.result
    body = {
        "submission_id": submission.id, "assignment_id": submission.assignment_id,
        "external_user_id": integrations.external_user_id(course, submission.user_id),
        "attempt": submission.attempt, "score": submission.score,
        "raw_score": submission.raw_score if submission.raw_score is not None
        else document.get("raw_score", document.get("score")),
        "max_score": submission.max_score, "passed": bool(document.get("passed")),
        "late_days": submission.late_days, "engine_version": submission.engine_version,
        "graded_at": submission.graded_at, "problems": document.get("problems", []),
    }
    return conditional(schemas.Result().dump(body))
