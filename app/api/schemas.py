"""The API's documents as marshmallow schemas: what flask-smorest validates requests with,
dumps answers through, and writes into the OpenAPI document."""

from __future__ import annotations

import marshmallow as ma

from app.api.pagination import list_schema
from app.models import LatePolicy, SubmissionStatus
from app.services import results
from app.services.webhook_events import ACTIVITY_PROGRESS, EVENTS, GRADING_PROGRESS

# Ids are PostgreSQL integers: a larger one in a path is simply not found (404), never a 500.
ID_MAX = 2**31 - 1
# Text that ends up in a database column: no control characters (PostgreSQL refuses NUL outright).
PRINTABLE = r"^[^\x00-\x1f\x7f]*$"
EXTERNAL_USER_ID = {"description": "The LMS's id for the student (unique in the course).", "example": "lms-user-42"}


class ProblemDetails(ma.Schema):
    """RFC 9457 problem details, for every 4xx and 5xx."""

    type = ma.fields.String(required=True, metadata={
        "description": "A URI naming the kind of problem (its section on /api/v1/docs), or about:blank."})
    title = ma.fields.String(required=True, metadata={"description": "The HTTP status phrase."})
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True, metadata={"description": "What went wrong and what to do, for a person."})
    instance = ma.fields.String(required=True, metadata={"description": "The path of the request."})
    errors = ma.fields.Dict(metadata={"description": "Invalid fields by location, for invalid-request."})
    required_scope = ma.fields.String(metadata={"description": "The scope missing, for insufficient-scope."})
    resets_at = ma.fields.DateTime(metadata={"description": "When the daily limit resets, for daily-limit."})


class AssignmentProblem(ma.Schema):
    id = ma.fields.String(required=True, metadata={"example": "sigmoid"})
    title = ma.fields.String(required=True)
    function = ma.fields.String(required=True, metadata={"description": "The function the student's file defines."})
    points = ma.fields.Float(required=True)


class Policies(ma.Schema):
    late_policy = ma.fields.String(required=True, validate=ma.validate.OneOf([p.value for p in LatePolicy]),
                                   metadata={"description": "none: refused after the due date; accept; penalty."})
    late_penalty_per_day = ma.fields.Float(required=True, metadata={"description": "Share of the score lost per day."})
    max_submissions_per_day = ma.fields.Integer(required=True, allow_none=True,
                                                metadata={"description": "Per student, reset at 00:00 UTC."})
    score_counts = ma.fields.String(required=True, validate=ma.validate.OneOf(results.POLICIES),
                                    metadata={"description": "Which graded submission's score counts: latest "
                                                             "(the most recent, even if lower) or best (the highest; "
                                                             "the later one on a tie)."})


class Assignment(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, metadata={"example": "hw1"})
    title = ma.fields.String(required=True)
    due = ma.fields.DateTime(required=True, allow_none=True)
    max_score = ma.fields.Float(required=True)
    problems = ma.fields.List(ma.fields.Nested(AssignmentProblem), required=True)
    policies = ma.fields.Nested(Policies, required=True)
    updated_at = ma.fields.DateTime(required=True, metadata={"description": "When it was last synced from its file."})


class SubmissionCreate(ma.Schema):
    """A submission as JSON: the source in `code`."""

    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1),
                            metadata={"description": "The Python source, as text (UTF-8, at most 256 KiB)."})
    external_user_id = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=255),
                                                                 ma.validate.Regexp(PRINTABLE)],
                                        metadata=EXTERNAL_USER_ID)
    filename = ma.fields.String(load_default="submission.py", validate=[ma.validate.Length(min=1, max=255),
                                                                        ma.validate.Regexp(PRINTABLE)])
    email = ma.fields.Email(load_default=None, allow_none=True, metadata={
        "description": "Optional: the student's address, to link a student nablagrade already knows."})
    name = ma.fields.String(load_default=None, allow_none=True,
                            validate=[ma.validate.Length(max=200), ma.validate.Regexp(PRINTABLE)])


class SubmissionForm(ma.Schema):
    """The form fields of a multipart submission; the file is the `file` part."""

    external_user_id = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=255),
                                                                 ma.validate.Regexp(PRINTABLE)],
                                        metadata=EXTERNAL_USER_ID)
    email = ma.fields.Email(load_default=None, allow_none=True)
    name = ma.fields.String(load_default=None, allow_none=True,
                            validate=[ma.validate.Length(max=200), ma.validate.Regexp(PRINTABLE)])


class Submission(ma.Schema):
    id = ma.fields.Integer(required=True)
    assignment_id = ma.fields.Integer(required=True)
    assignment_name = ma.fields.String(required=True)
    external_user_id = ma.fields.String(required=True, allow_none=True, metadata=EXTERNAL_USER_ID)
    attempt = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf([s.value for s in SubmissionStatus]),
                              metadata={"description": "queued, running, graded, or error (a system failure: "
                                                       "not a zero, retried by the service)."})
    score = ma.fields.Float(required=True, allow_none=True, metadata={"description": "After any late penalty."})
    max_score = ma.fields.Float(required=True)
    late_days = ma.fields.Integer(required=True)
    activity_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTIVITY_PROGRESS))
    grading_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(GRADING_PROGRESS))
    submitted_at = ma.fields.DateTime(required=True)
    started_at = ma.fields.DateTime(required=True, allow_none=True)
    graded_at = ma.fields.DateTime(required=True, allow_none=True)
    errored_at = ma.fields.DateTime(required=True, allow_none=True)
    updated_at = ma.fields.DateTime(required=True)
    result_url = ma.fields.String(required=True)


class Check(ma.Schema):
    name = ma.fields.String(required=True)
    category = ma.fields.String(required=True, metadata={"example": "value"})
    passed = ma.fields.Boolean(required=True)
    diagnosis = ma.fields.String(required=True, allow_none=True, metadata={"example": "transposed"})
    message = ma.fields.String(required=True)
    visible = ma.fields.Boolean(required=True, metadata={"description": "False for a check hidden from students."})
    score = ma.fields.Float(required=True)
    max_score = ma.fields.Float(required=True)
    details = ma.fields.Dict(metadata={"description": "Numbers behind the verdict (errors, shapes, worst index)."})


class ProblemResult(ma.Schema):
    id = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    function = ma.fields.String(required=True)
    score = ma.fields.Float(required=True)
    max_score = ma.fields.Float(required=True)
    passed = ma.fields.Boolean(required=True)
    diagnosis = ma.fields.String(required=True, allow_none=True)
    checks = ma.fields.List(ma.fields.Nested(Check), required=True)
    notes = ma.fields.List(ma.fields.String(), required=True)


class Result(ma.Schema):
    submission_id = ma.fields.Integer(required=True)
    assignment_id = ma.fields.Integer(required=True)
    external_user_id = ma.fields.String(required=True, allow_none=True)
    attempt = ma.fields.Integer(required=True)
    score = ma.fields.Float(required=True, metadata={"description": "After any late penalty."})
    raw_score = ma.fields.Float(required=True, metadata={"description": "What the checks earned, before it."})
    max_score = ma.fields.Float(required=True)
    passed = ma.fields.Boolean(required=True)
    late_days = ma.fields.Integer(required=True)
    engine_version = ma.fields.String(required=True, allow_none=True)
    graded_at = ma.fields.DateTime(required=True)
    problems = ma.fields.List(ma.fields.Nested(ProblemResult), required=True)


class Score(ma.Schema):
    """Where one student stands: the score that counts, in LTI-AGS words."""

    external_user_id = ma.fields.String(required=True, allow_none=True, metadata=EXTERNAL_USER_ID)
    email = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    submission_id = ma.fields.Integer(required=True, allow_none=True,
                                      metadata={"description": "The submission whose score counts."})
    attempt = ma.fields.Integer(required=True, allow_none=True)
    attempts = ma.fields.Integer(required=True, metadata={"description": "Submissions so far."})
    score_given = ma.fields.Float(required=True, allow_none=True)
    score_maximum = ma.fields.Float(required=True)
    penalty = ma.fields.Float(required=True, allow_none=True, metadata={"description": "Points lost to lateness."})
    late_days = ma.fields.Integer(required=True, allow_none=True)
    activity_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTIVITY_PROGRESS))
    grading_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(GRADING_PROGRESS), metadata={
        "description": "FullyGraded once a score counts; before that, the state of the latest submission."})
    latest_status = ma.fields.String(required=True, allow_none=True,
                                     validate=ma.validate.OneOf([s.value for s in SubmissionStatus]),
                                     metadata={"description": "Of the latest submission, which may be in the queue."})
    updated_at = ma.fields.DateTime(required=True)


class ScoresArgs(ma.Schema):
    updated_since = ma.fields.AwareDateTime(load_default=None, default_timezone=None, metadata={
        "description": "Only students whose standing changed after this moment (ISO 8601 with a time zone)."})


AssignmentList = list_schema(Assignment, "AssignmentList")
ScoreList = list_schema(Score, "ScoreList")


# --- webhooks -------------------------------------------------------------------------------------
EVENT_TYPE = ma.fields.String(validate=ma.validate.OneOf(list(EVENTS)), metadata={"example": "submission.graded"})
WEBHOOK_URL = {"description": "Where events are POSTed: http(s), a public address (checked again at each delivery).",
               "example": "https://lms.example.edu/hooks/nablagrade"}


class WebhookEndpointCreate(ma.Schema):
    url = ma.fields.String(required=True, validate=[ma.validate.Length(min=1, max=2000), ma.validate.Regexp(PRINTABLE)],
                           metadata=WEBHOOK_URL)
    events = ma.fields.List(EVENT_TYPE, required=True, validate=ma.validate.Length(min=1, max=len(EVENTS)),
                            metadata={"description": "The event types to receive."})
    description = ma.fields.String(load_default=None, allow_none=True,
                                   validate=[ma.validate.Length(max=200), ma.validate.Regexp(PRINTABLE)])


class StrictBoolean(ma.fields.Boolean):
    """true or false only: marshmallow's Boolean also takes 0, 1, "yes" and the like."""

    def _deserialize(self, value, attr, data, **kwargs):  # noqa: ANN001, ANN202 - marshmallow's signature
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class WebhookEndpointUpdate(ma.Schema):
    url = ma.fields.String(validate=[ma.validate.Length(min=1, max=2000), ma.validate.Regexp(PRINTABLE)],
                           metadata=WEBHOOK_URL)
    events = ma.fields.List(EVENT_TYPE, validate=ma.validate.Length(min=1, max=len(EVENTS)))
    description = ma.fields.String(validate=[ma.validate.Length(max=200), ma.validate.Regexp(PRINTABLE)])
    enabled = StrictBoolean(metadata={"description": "true enables a disabled endpoint (its failure count "
                                                         "starts again); false stops deliveries to it."})


class WebhookEndpoint(ma.Schema):
    id = ma.fields.Integer(required=True)
    url = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    events = ma.fields.List(ma.fields.String(), required=True)
    state = ma.fields.String(required=True, validate=ma.validate.OneOf(["enabled", "disabled"]))
    disabled_reason = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "Why it is disabled: a 410 answer, failures with no success in between, or by hand."})
    disabled_at = ma.fields.DateTime(required=True, allow_none=True)
    consecutive_failures = ma.fields.Integer(required=True, metadata={"description": "Failed attempts since the "
                                                                                     "last success."})
    last_success_at = ma.fields.DateTime(required=True, allow_none=True)
    last_failure_at = ma.fields.DateTime(required=True, allow_none=True)
    previous_secret_expires_at = ma.fields.DateTime(required=True, allow_none=True, metadata={
        "description": "Until then the secret replaced by the last rotation signs too."})
    created_at = ma.fields.DateTime(required=True)
    updated_at = ma.fields.DateTime(required=True)


class WebhookEndpointCreated(WebhookEndpoint):
    secret = ma.fields.String(required=True, metadata={
        "description": "The signing secret (whsec_...), shown only in this answer. Verify webhook-signature with it.",
        "example": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})


class WebhookSecret(ma.Schema):
    id = ma.fields.Integer(required=True)
    secret = ma.fields.String(required=True, metadata={"description": "The new secret, shown only in this answer."})
    previous_secret_expires_at = ma.fields.DateTime(required=True, metadata={
        "description": "Until then each message carries a second signature, made with the previous secret."})


class WebhookAttempt(ma.Schema):
    number = ma.fields.Integer(required=True)
    attempted_at = ma.fields.DateTime(required=True)
    url = ma.fields.String(required=True)
    success = ma.fields.Boolean(required=True)
    status_code = ma.fields.Integer(required=True, allow_none=True)
    latency_ms = ma.fields.Integer(required=True, allow_none=True)
    response_excerpt = ma.fields.String(required=True, allow_none=True,
                                        metadata={"description": "The start of the answer (at most 1000 characters)."})
    error = ma.fields.String(required=True, allow_none=True, metadata={
        "description": "Why there was no answer: a refused target, a time-out, a connection error."})


class WebhookMessage(ma.Schema):
    id = ma.fields.Integer(required=True)
    msg_id = ma.fields.String(required=True, metadata={"description": "The webhook-id header, the same on every "
                                                                      "attempt and replay."})
    endpoint_id = ma.fields.Integer(required=True)
    event_type = ma.fields.String(required=True)
    submission_id = ma.fields.Integer(required=True, allow_none=True)
    status = ma.fields.String(required=True, validate=ma.validate.OneOf(["pending", "delivered", "failed"]))
    attempts = ma.fields.Integer(required=True)
    created_at = ma.fields.DateTime(required=True)
    next_attempt_at = ma.fields.DateTime(required=True, allow_none=True)
    delivered_at = ma.fields.DateTime(required=True, allow_none=True)
    failed_at = ma.fields.DateTime(required=True, allow_none=True)
    last_error = ma.fields.String(required=True, allow_none=True)
    payload = ma.fields.Dict(required=True, metadata={"description": "The body sent, parsed."})
    attempt_log = ma.fields.List(ma.fields.Nested(WebhookAttempt), required=True)


class MessageArgs(ma.Schema):
    status = ma.fields.String(load_default=None, validate=ma.validate.OneOf(["pending", "delivered", "failed"]),
                              metadata={"description": "Only messages in this state."})


class RecoverArgs(ma.Schema):
    since = ma.fields.AwareDateTime(load_default=None, default_timezone=None, metadata={
        "description": "Only messages created at or after this moment (ISO 8601 with a time zone); all when omitted."})


class Recovered(ma.Schema):
    messages = ma.fields.Integer(required=True, metadata={"description": "How many messages are being sent again."})


WebhookEndpointList = list_schema(WebhookEndpoint, "WebhookEndpointList")
WebhookMessageList = list_schema(WebhookMessage, "WebhookMessageList")
