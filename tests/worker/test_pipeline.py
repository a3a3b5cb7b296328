"""The pipeline end to end, through real worker processes on Redis and PostgreSQL."""

import hashlib
import time

import pytest

from app.models import SubmissionStatus
from app.services import grading, jobs
from app.services.submissions import submit
from graders import ENGINE_VERSION
from tests.support.servers import CORRECT, WRONG, ServiceProcess, wait_for, worker_command
from tests.support.waiting import rows, wait_for_worker, wait_until_done


def test_a_correct_and_a_wrong_submission_are_both_graded(student, services):
    right = submit(student, "T101", "t1", CORRECT.encode(), "right.py").id
    wrong = submit(student, "T101", "t1", WRONG.encode(), "wrong.py").id
    services.worker("w1")
    graded = {s.id: s for s in wait_until_done([right, wrong], timeout=60)}

    good, bad = graded[right], graded[wrong]
    assert good.status is SubmissionStatus.GRADED, good.error
    assert good.score == good.max_score == 25
    assert good.result["score"] == 25 and good.result["passed"] is True
    assert good.engine_version == ENGINE_VERSION
    assert bad.status is SubmissionStatus.GRADED, bad.error
    assert bad.max_score == 25 and 0 <= bad.score < 10  # sigmoid sign flipped, softmax missing
    problems = {p["id"]: p for p in bad.result["problems"]}
    assert problems["sigmoid"]["passed"] is False and problems["softmax"]["score"] == 0
    for submission in (good, bad):
        assert submission.grade_count == 1
        assert submission.submitted_at <= submission.started_at <= submission.graded_at
        assert submission.worker.startswith("w1@")


def test_a_graded_submission_is_not_graded_twice_unless_regraded(student, services):
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "right.py").id
    services.worker("w1")
    wait_until_done([submission_id], timeout=60)
    first = rows([submission_id])[0].graded_at

    # A duplicate message (a re-send, a redelivery) finds the row graded and does nothing.
    jobs.send_now(jobs.GRADE_TASK, submission_id)
    jobs.send_now(jobs.GRADE_TASK, submission_id)
    grading.regrade_submission(submission_id)  # ...but an explicit regrade grades it again
    wait_until_done([submission_id], timeout=30)
    time.sleep(1.0)  # let the duplicates reach the worker
    again = rows([submission_id])[0]
    assert again.status is SubmissionStatus.GRADED
    assert again.grade_count == 2
    assert again.regrade_requested_at is not None and again.graded_at > first


def test_penalty_policy_scales_the_score_and_the_document_says_so(student, services):
    submission_id = submit(student, "T101", "penalised", CORRECT.encode(), "late.py").id
    services.worker("w1")
    graded = wait_until_done([submission_id], timeout=60)[0]
    assert graded.late_days == 2
    assert graded.result["raw_score"] == graded.raw_score == 25
    assert graded.result["late"]["penalty"] == pytest.approx(0.2)
    assert graded.result["score"] == graded.score == pytest.approx(25 * 0.8)


def test_a_regrade_after_the_file_changed_records_the_new_spec(student, services, assignments_dir):
    path = assignments_dir / "t1.toml"
    original = path.read_text()
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "right.py").id
    services.worker("w1")
    first_digest = wait_until_done([submission_id], timeout=60)[0].spec_digest
    assert first_digest == hashlib.sha256(original.encode()).hexdigest()
    changed = original.replace("points = 15", "points = 115")
    try:
        path.write_text(changed)
        grading.regrade_submission(submission_id)
        wait_for(lambda: rows([submission_id])[0].grade_count == 2, 60, "the regrade")
    finally:
        path.write_text(original)
    again = rows([submission_id])[0]
    assert again.spec_digest == hashlib.sha256(changed.encode()).hexdigest() != first_digest
    assert again.max_score == again.score == 125


def test_webhook_and_grading_queues_are_separate(student, services):
    """A worker on the webhooks queue alone takes no grading job."""
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "right.py").id
    hooks = ServiceProcess(worker_command("hooks", queues="webhooks"), services.env(), services.logs / "hooks.log")
    services.started.append(hooks.start())
    wait_for_worker("hooks")
    time.sleep(1.5)
    assert rows([submission_id])[0].status is SubmissionStatus.QUEUED
    services.worker("w1")
    assert wait_until_done([submission_id], timeout=60)[0].status is SubmissionStatus.GRADED
