"""The events nablagrade tells webhook endpoints about: their types, the schema and an example
of each payload, and the LTI-AGS words for a submission's progress.

The payload follows Standard Webhooks, `{"type", "timestamp", "data"}`, and `data` speaks
LTI Assignment and Grade Services (score_given, score_maximum, activity_progress,
grading_progress), so an LMS can forward a score to its gradebook as it is. The marshmallow
schemas here are the one definition: the outbox dumps payloads through them, and the API's
OpenAPI document publishes them (as JSON Schema, with the examples) in its `webhooks` section."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from app.models import SubmissionStatus

SUBMISSION_RECEIVED = "submission.received"
SUBMISSION_GRADED = "submission.graded"
SUBMISSION_GRADING_FAILED = "submission.grading_failed"
GRADE_UPDATED = "grade.updated"
WEBHOOK_TEST = "webhook.test"

# LTI AGS activityProgress / gradingProgress values, as an LMS's gradebook expects them.
SUBMITTED, COMPLETED, INITIALIZED = "Submitted", "Completed", "Initialized"
PENDING, FULLY_GRADED, FAILED, NOT_READY = "Pending", "FullyGraded", "Failed", "NotReady"
ACTIVITY_PROGRESS = (INITIALIZED, SUBMITTED, COMPLETED)
GRADING_PROGRESS = (NOT_READY, PENDING, FULLY_GRADED, FAILED)


def ags_progress(status: SubmissionStatus | None) -> tuple[str, str]:
    """(activity_progress, grading_progress) of a submission in `status` (None: nothing submitted).
    A system failure is Failed, never a zero score."""
    if status is None:
        return INITIALIZED, NOT_READY
    if status is SubmissionStatus.GRADED:
        return COMPLETED, FULLY_GRADED
    if status is SubmissionStatus.ERROR:
        return SUBMITTED, FAILED
    return SUBMITTED, PENDING


class SubmissionEventData(ma.Schema):
    """One submission, as the LMS knows it."""

    submission_id = ma.fields.Integer(required=True, metadata={"description": "The submission's id in this API."})
    assignment_id = ma.fields.Integer(required=True)
    assignment_name = ma.fields.String(required=True, metadata={"example": "hw1"})
    external_user_id = ma.fields.String(
        required=True, allow_none=True,
        metadata={"description": "The LMS's id of the student (null for a student who only used the web site)."})
    attempt = ma.fields.Integer(required=True, metadata={"description": "1 for the student's first submission."})
    score_given = ma.fields.Float(
        required=True, allow_none=True,
        metadata={"description": "The score after any late penalty; null until graded (and when grading failed)."})
    score_maximum = ma.fields.Float(required=True)
    activity_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTIVITY_PROGRESS))
    grading_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(GRADING_PROGRESS))
    submitted_at = ma.fields.DateTime(required=True)
    graded_at = ma.fields.DateTime(required=True, allow_none=True)
    result_url = ma.fields.String(
        required=True, metadata={"description": "GET it with a results:read token for the per-check result."})


class GradingFailedData(SubmissionEventData):
    error = ma.fields.String(
        required=True, metadata={"description": "Why grading failed: a system failure, not the student's zero. "
                                                "nablagrade retries; the student's attempt does not count."})


class GradeUpdatedData(ma.Schema):
    """The score that counts for one student on one assignment changed (a regrade, an override)."""

    assignment_id = ma.fields.Integer(required=True)
    assignment_name = ma.fields.String(required=True)
    external_user_id = ma.fields.String(required=True, allow_none=True)
    submission_id = ma.fields.Integer(required=True, allow_none=True,
                                      metadata={"description": "The submission whose score counts now."})
    attempt = ma.fields.Integer(required=True, allow_none=True)
    score_given = ma.fields.Float(required=True, allow_none=True)
    score_maximum = ma.fields.Float(required=True)
    activity_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTIVITY_PROGRESS))
    grading_progress = ma.fields.String(required=True, validate=ma.validate.OneOf(GRADING_PROGRESS))
    reason = ma.fields.String(required=True, validate=ma.validate.OneOf(("regrade", "override")))
    updated_at = ma.fields.DateTime(required=True)
    scores_url = ma.fields.String(required=True)


class WebhookTestData(ma.Schema):
    endpoint_id = ma.fields.Integer(required=True)
    message = ma.fields.String(required=True)


def _envelope(name: str, event_type: str, data: type[ma.Schema], description: str) -> type[ma.Schema]:
    fields = {
        "type": ma.fields.String(required=True, validate=ma.validate.OneOf([event_type])),
        "timestamp": ma.fields.DateTime(required=True, metadata={"description": "When the event happened (UTC)."}),
        "data": ma.fields.Nested(data, required=True),
    }
    schema = ma.Schema.from_dict(fields, name=name)
    schema.__doc__ = description
    return schema


_SUBMISSION = {
    "submission_id": 1234, "assignment_id": 7, "assignment_name": "hw1", "external_user_id": "lms-user-42",
    "attempt": 2, "score_maximum": 25.0, "submitted_at": "2026-03-01T12:00:00.000000+00:00",
    "result_url": "https://grader.example.edu/api/v1/submissions/1234/result",
}


class Event:
    """One event type: its name, what it means, its payload schema and an example payload."""

    def __init__(self, event_type: str, description: str, data: type[ma.Schema], example: dict[str, Any]) -> None:
        self.type = event_type
        self.description = description
        self.schema = _envelope("".join(part.title() for part in event_type.replace(".", "_").split("_")) + "Event",
                                event_type, data, description)
        self.example = {"type": event_type, "timestamp": "2026-03-01T12:00:05.123000+00:00", "data": example}

    @property
    def schema_name(self) -> str:
        return self.schema.__name__


EVENTS: dict[str, Event] = {event.type: event for event in (
    Event(SUBMISSION_RECEIVED, "A submission was accepted and queued for grading.", SubmissionEventData,
          {**_SUBMISSION, "score_given": None, "activity_progress": SUBMITTED, "grading_progress": PENDING,
           "graded_at": None}),
    Event(SUBMISSION_GRADED, "A submission was graded (its first grading or a regrade).", SubmissionEventData,
          {**_SUBMISSION, "score_given": 21.5, "activity_progress": COMPLETED, "grading_progress": FULLY_GRADED,
           "graded_at": "2026-03-01T12:00:04.900000+00:00"}),
    Event(SUBMISSION_GRADING_FAILED, "Grading failed for a system reason (a sandbox failure or a time-out): "
          "not a zero; the attempt does not count against the student.", GradingFailedData,
          {**_SUBMISSION, "score_given": None, "activity_progress": SUBMITTED, "grading_progress": FAILED,
           "graded_at": None, "error": "grading took longer than 240 s"}),
    Event(GRADE_UPDATED, "The score that counts for a student changed after a regrade or a staff override.",
          GradeUpdatedData,
          {"assignment_id": 7, "assignment_name": "hw1", "external_user_id": "lms-user-42", "submission_id": 1234,
           "attempt": 2, "score_given": 23.0, "score_maximum": 25.0, "activity_progress": COMPLETED,
           "grading_progress": FULLY_GRADED, "reason": "override", "updated_at": "2026-03-02T09:30:00.000000+00:00",
           "scores_url": "https://grader.example.edu/api/v1/assignments/7/scores"}),
    Event(WEBHOOK_TEST, "Sent on request (POST /webhook-endpoints/{id}/test) to check an endpoint.", WebhookTestData,
          {"endpoint_id": 3, "message": "This is a test event from nablagrade."}),
)}
