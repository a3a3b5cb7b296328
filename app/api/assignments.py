"""/api/v1/assignments: the token's course's assignments, and the scores that count on each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_smorest import Blueprint

from app.api import limits, pagination, schemas
from app.api.auth import current_token, requires
from app.api.schemas import ID_MAX
from app.models import Assignment
from app.services import integrations, results, tokens
from app.services.webhook_events import ags_progress

blp = Blueprint("assignments", __name__, description="The assignments of the token's course and their scores.")
limits.per_token(blp)


def assignment_body(assignment: Assignment) -> dict[str, Any]:
    return {
        "id": assignment.id, "name": assignment.name, "title": assignment.title, "due": assignment.due,
        "max_score": assignment.max_score, "problems": assignment.problems,
        "policies": {"late_policy": assignment.late_policy.value,
                     "late_penalty_per_day": assignment.late_penalty_per_day,
                     "max_submissions_per_day": assignment.max_submissions_per_day, "score_counts": assignment.score_policy.value},
        "updated_at": assignment.synced_at,
    }


@blp.route("/assignments")
@requires(tokens.RESULTS_READ)
@blp.arguments(pagination.PageArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.AssignmentList)
def list_assignments(cursor: str | None, limit: int) -> dict[str, Any]:
    """List the course's assignments

    In id order, with their problems, points and policies."""
    course = current_token().course
    after = pagination.decode("assignments", cursor, {})["id"] if cursor else None
    rows = integrations.list_assignments(course, after, limit + 1)
    shown, next_cursor = pagination.page("assignments", rows, limit, {}, lambda a: {"id": a.id})
    return {"data": [assignment_body(a) for a in shown], "next_cursor": next_cursor}


@blp.route(f"/assignments/<int(min=1, max={ID_MAX}):assignment_id>")
@requires(tokens.RESULTS_READ)
@blp.response(200, schemas.Assignment)
def get_assignment(assignment_id: int) -> dict[str, Any]:
    """Get one assignment"""
    return assignment_body(integrations.get_assignment(current_token().course, assignment_id))


def score_body(standing: results.StudentResult, assignment: Assignment) -> dict[str, Any]:
    counted = standing.counted
    activity, grading = ags_progress(counted.status if counted is not None else standing.latest_status)
    return {
        "external_user_id": standing.external_user_id, "email": standing.user.email, "name": standing.user.name,
        "submission_id": counted.id if counted else None, "attempt": counted.attempt if counted else None,
        "attempts": standing.attempts, "score_given": standing.final,
        "score_maximum": counted.max_score if counted and counted.max_score is not None else assignment.max_score,
        "penalty": standing.penalty, "late_days": counted.late_days if counted else None,
        "activity_progress": activity, "grading_progress": grading,
        "latest_status": standing.latest_status.value if standing.latest_status is not None else None,
        "updated_at": standing.updated_at,
    }


@blp.route(f"/assignments/<int(min=1, max={ID_MAX}):assignment_id>/scores")
@requires(tokens.RESULTS_READ)
@blp.arguments(schemas.ScoresArgs, location="query", as_kwargs=True)
@blp.arguments(pagination.PageArgs, location="query", as_kwargs=True)
@blp.response(200, schemas.ScoreList)
def list_scores(assignment_id: int, updated_since: dt.datetime | None, cursor: str | None,
                limit: int) -> dict[str, Any]:
    """List the score that counts for each student

    Every student of the course, with the score that counts under the assignment's policy
    (late penalty included), in the order their standing last changed. Poll with
    `?updated_since=` set to the largest `updated_at` you have seen, minus a few seconds of
    overlap (a grade committed while you read carries a time just before your read), to
    reconcile a gradebook with what webhooks delivered."""
    assignment = integrations.get_assignment(current_token().course, assignment_id)
    filters = {"updated_since": updated_since.isoformat() if updated_since else None}
    filters["assignment"] = assignment_id
    after = None
    if cursor:
        position = pagination.decode("scores", cursor, filters)
        after = (dt.datetime.fromisoformat(position["t"]), position["u"])
    rows = results.changed_since(assignment, updated_since, after, limit + 1)
    shown, next_cursor = pagination.page("scores", rows, limit, filters,
                                         lambda s: {"t": s.updated_at.isoformat(), "u": s.user.id})
    return {"data": [score_body(s, assignment) for s in shown], "next_cursor": next_cursor}
