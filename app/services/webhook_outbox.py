"""The outbox: an event becomes one `webhook_messages` row per subscribed endpoint, written in
the caller's transaction, so a message exists exactly when the change it reports was committed.
Each row's delivery job is sent only after that commit (app.services.jobs); if the job is lost,
the sweeper finds the row (app.services.webhook_delivery).

The body is serialised once, here, and those bytes are what every attempt and every replay
signs and sends."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import and_, bindparam, select

from app.extensions import db
from app.models import (
    Assignment,
    EndpointState,
    Enrolment,
    MessageStatus,
    ScorePolicy,
    Submission,
    SubmissionStatus,
    WebhookEndpoint,
    WebhookMessage,
    utcnow,
)
from app.services import jobs, results, webhook_signing
from app.services.webhook_events import EVENTS, GRADE_UPDATED, ags_progress

DELIVER_TASK = "worker.tasks.deliver_webhook"

# FOR KEY SHARE (PostgreSQL): an endpoint being deleted meanwhile either waits for this
# transaction or is not read at all, so the message rows inserted for it can never break their
# foreign key and fail the change that emits them (a grade, a submission). Edits of an endpoint
# (FOR NO KEY UPDATE) do not wait on it.
ENABLED_ENDPOINTS = (select(WebhookEndpoint)
                     .where(WebhookEndpoint.course_id == bindparam("course_id"),
                            WebhookEndpoint.state == EndpointState.ENABLED)
                     .order_by(WebhookEndpoint.id)
                     .with_for_update(read=True, key_share=True))


def subscribed(course_id: int, event_type: str) -> list[WebhookEndpoint]:
    """The course's enabled endpoints that subscribed to `event_type`."""
    return [endpoint for endpoint in db.session.scalars(ENABLED_ENDPOINTS, {"course_id": course_id})
            if event_type in endpoint.events]


def encode(event_type: str, data: dict[str, Any], timestamp: dt.datetime | None = None) -> bytes:
    """The body of an event, `{"type", "timestamp", "data"}`, dumped through its published schema."""
    document = EVENTS[event_type].schema().dump({"type": event_type, "timestamp": timestamp or utcnow(),
                                                 "data": data})
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def record(event_type: str, data: dict[str, Any], endpoints: list[WebhookEndpoint],
           submission_id: int | None = None, timestamp: dt.datetime | None = None) -> list[WebhookMessage]:
    """Store the event for each endpoint in the current transaction; delivery starts at commit."""
    if not endpoints:
        return []
    now = utcnow()
    body = encode(event_type, data, timestamp or now)
    messages = [WebhookMessage(msg_id=webhook_signing.new_message_id(), endpoint_id=endpoint.id,
                               event_type=event_type, body=body, submission_id=submission_id,
                               status=MessageStatus.PENDING, attempts=0, replay_offset=0, created_at=now, next_attempt_at=now,
                               enqueued_at=now)
                for endpoint in endpoints]
    db.session.add_all(messages)
    db.session.flush()
    for message in messages:
        jobs.after_commit(db.session, DELIVER_TASK, message.id)
    return messages


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_URL"].rstrip("/") + path


# What a submission event says, read in one statement (the caller's transaction sees its own writes).
SUBMISSION_FACTS = (
    select(Submission.id, Submission.assignment_id, Assignment.name, Assignment.max_score, Submission.attempt,
           Submission.status, Submission.score, Submission.max_score.label("scored_max"), Submission.submitted_at,
           Submission.graded_at, Submission.error, Enrolment.external_user_id)
    .join(Assignment, Assignment.id == Submission.assignment_id)
    .outerjoin(Enrolment, and_(Enrolment.course_id == Assignment.course_id, Enrolment.user_id == Submission.user_id))
    .where(Submission.id == bindparam("submission_id")))


def submission_data(submission_id: int) -> dict[str, Any]:
    row = db.session.execute(SUBMISSION_FACTS, {"submission_id": submission_id}).one()
    status = SubmissionStatus(row.status)
    activity, grading = ags_progress(status)
    data = {
        "submission_id": row.id, "assignment_id": row.assignment_id, "assignment_name": row.name,
        "external_user_id": row.external_user_id, "attempt": row.attempt,
        "score_given": row.score if status is SubmissionStatus.GRADED else None,
        "score_maximum": row.scored_max if row.scored_max is not None else row.max_score,
        "activity_progress": activity, "grading_progress": grading,
        "submitted_at": row.submitted_at, "graded_at": row.graded_at if status is SubmissionStatus.GRADED else None,
        "result_url": public_url(f"/api/v1/submissions/{row.id}/result"),
    }
    if status is SubmissionStatus.ERROR:
        data["error"] = row.error or "grading failed"
    return data


def submission_event(event_type: str, submission_id: int, endpoints: list[WebhookEndpoint]) -> list[WebhookMessage]:
    """Record a submission.* event about `submission_id` for `endpoints` (subscribed(...) of its course)."""
    if not endpoints:
        return []
    return record(event_type, submission_data(submission_id), endpoints, submission_id=submission_id)


# --- grade.updated: the score that counts changed ---------------------------------------------------

@dataclass(frozen=True)
class Standing:
    """One submission as the counting rule sees it (results.counted reads status and attempt)."""

    id: int
    attempt: int
    status: SubmissionStatus
    score: float | None
    override_score: float | None = None

    @property
    def effective_score(self) -> float | None:
        return self.override_score if self.override_score is not None else self.score


STANDINGS = (select(Submission.id, Submission.attempt, Submission.status, Submission.score, Submission.override_score)
             .where(Submission.assignment_id == bindparam("assignment_id"), Submission.user_id == bindparam("user_id"))
             .order_by(Submission.attempt))


def standings(assignment_id: int, user_id: int) -> list[Standing]:
    return [Standing(row.id, row.attempt, SubmissionStatus(row.status), row.score, row.override_score)
            for row in db.session.execute(STANDINGS, {"assignment_id": assignment_id, "user_id": user_id})]


def counted_score(rows: list[Standing], policy: ScorePolicy) -> tuple[int | None, float | None]:
    """(submission id, score) that counts, by the one rule of app.services.results: a staff
    override counts instead of the graded score."""
    chosen = results.counted(rows, policy)  # type: ignore[arg-type]  # duck-typed: status, attempt, scores
    return (chosen.id, chosen.effective_score) if chosen is not None else (None, None)


def counted_now(assignment_id: int, user_id: int) -> tuple[int | None, float | None]:
    """(submission id, score) that counts for the student now: take it before a change, and pass
    it to grade_updated after the change, in the same transaction."""
    assignment = db.session.get(Assignment, assignment_id)
    policy = ScorePolicy(assignment.score_policy) if assignment is not None else ScorePolicy.LATEST
    return counted_score(standings(assignment_id, user_id), policy)


def as_before_regrade(rows: list[Standing], submission_id: int, old_score: float | None) -> list[Standing]:
    """The standings as they counted before `submission_id` was taken back for a regrade: it was
    graded then, with `old_score` (a regrade moves the row through queued and running)."""
    return [Standing(r.id, r.attempt, SubmissionStatus.GRADED, old_score, r.override_score) if r.id == submission_id
            else r for r in rows]


def grade_updated(assignment_id: int, user_id: int, before: tuple[int | None, float | None], reason: str,
                  endpoints: list[WebhookEndpoint] | None = None) -> list[WebhookMessage]:
    """Record grade.updated when the score that counts for the student is not `before` any more.
    Call it in the transaction that made the change, after the change was written."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        return []
    if endpoints is None:
        endpoints = subscribed(assignment.course_id, GRADE_UPDATED)
    if not endpoints:
        return []
    rows = standings(assignment_id, user_id)
    after = counted_score(rows, ScorePolicy(assignment.score_policy))
    if after == before:
        return []
    counted = next((r for r in rows if r.id == after[0]), None)
    latest = rows[-1].status if rows else None
    activity, grading = ags_progress(counted.status if counted is not None else latest)
    external = db.session.scalar(select(Enrolment.external_user_id).where(
        Enrolment.course_id == assignment.course_id, Enrolment.user_id == user_id))
    maximum = db.session.scalar(select(Submission.max_score).where(Submission.id == after[0])) if after[0] else None
    data = {
        "assignment_id": assignment.id, "assignment_name": assignment.name, "external_user_id": external,
        "submission_id": after[0], "attempt": counted.attempt if counted is not None else None,
        "score_given": after[1], "score_maximum": maximum if maximum is not None else assignment.max_score,
        "activity_progress": activity, "grading_progress": grading, "reason": reason, "updated_at": utcnow(),
        "scores_url": public_url(f"/api/v1/assignments/{assignment.id}/scores"),
    }
    return record(GRADE_UPDATED, data, endpoints, submission_id=after[0])
