"""The grading task's failure paths that a real engine cannot be made to take on purpose."""

from flask import current_app

from app.extensions import db
from app.models import Submission, SubmissionStatus
from app.services import grading
from app.services.submissions import submit
from tests.support.servers import CORRECT
from worker import tasks

NOT_STRICT_JSON = {"score": 25.0, "max_score": 25.0, "engine_version": "test", "passed": True,
                   "problems": [{"received": [float("nan")]}]}


def test_a_result_the_database_refuses_is_a_system_error_not_a_stuck_job(student, monkeypatch):
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    # A broken engine: its document carries a raw NaN, which strict JSON refuses.
    monkeypatch.setattr(grading, "grade_source", lambda code, spec, runner=None: NOT_STRICT_JSON)
    monkeypatch.setattr(grading, "default_runner", lambda: None)

    # The task as registered on this test's app (shared_task may still point at an earlier app's).
    task = current_app.extensions["celery"].tasks[tasks.grade_submission.name]
    assert task.apply(args=[submission_id]).get() == "error"

    db.session.expire_all()
    row = db.session.get(Submission, submission_id)
    assert row.status is SubmissionStatus.ERROR, row.status
    assert row.error.startswith("could not store the result: Out of range float values are not JSON compliant")
    assert row.result is None and row.score is None and row.grade_count == 0
