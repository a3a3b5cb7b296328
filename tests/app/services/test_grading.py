"""The grading state machine on the database side, without workers: claims, single writes, sweeps."""

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import flask_migrate
import psycopg
import pytest
from sqlalchemy import event

from app import create_app
from app.extensions import db
from app.models import Assignment, Extension, Role, Submission, SubmissionStatus, WorkerHeartbeat
from app.services import assignments, courses, coursework, deadlines, grading, people, webhook_endpoints
from app.services.submissions import submit
from graders.scoring import json_safe
from tests.support.servers import CORRECT

DOCUMENT = {"score": 20.0, "max_score": 25.0, "engine_version": "test", "problems": [], "passed": False}


def fresh(submission_id: int) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


@contextmanager
def sent_to_postgres() -> Iterator[Counter[str]]:
    """What the session sends PostgreSQL, by first word: each statement, and the BEGIN and COMMIT
    round trips psycopg adds around statements outside autocommit."""
    sent: Counter[str] = Counter()
    idle = psycopg.pq.TransactionStatus.IDLE

    def statement(conn, cursor, text, *_):
        if not cursor.connection.autocommit and cursor.connection.info.transaction_status == idle:
            sent["BEGIN"] += 1
        sent[text.split(None, 1)[0].upper()] += 1

    def commit(conn):
        if conn.connection.dbapi_connection.info.transaction_status != idle:
            sent["COMMIT"] += 1

    engine = db.engine
    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


def test_a_graded_job_sends_two_statements_and_nothing_else(student):
    """The cost of the service around the engine, pinned as counts: the claim and the store are
    one statement each, each its own transaction (no BEGIN or COMMIT round trips)."""
    submission_id = submit(student, "T101", "penalised", CORRECT.encode(), "a.py").id
    db.session.commit()
    with sent_to_postgres() as sent:
        claimed = grading.claim(submission_id, "task-A", "w1")
        assert grading.store_result(claimed, DOCUMENT, "d" * 64)
    assert sent == {"UPDATE": 2}
    row = fresh(submission_id)
    assert (row.status, row.raw_score, row.score, row.late_days) == (SubmissionStatus.GRADED, 20.0, 16.0, 2)


def test_with_a_subscribed_endpoint_the_result_and_its_message_are_one_transaction(student, course):
    webhook_endpoints.create(course, "https://lms.example.edu/hooks", ["submission.graded"])
    db.session.commit()
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    db.session.commit()
    with sent_to_postgres() as sent:
        claimed = grading.claim(submission_id, "task-A", "w1")
        assert grading.store_result(claimed, DOCUMENT)
    # The claim; then the late terms, the result, the endpoints, the event's facts and its row.
    assert sent == {"UPDATE": 2, "BEGIN": 1, "SELECT": 3, "INSERT": 1, "COMMIT": 1}


def test_late_terms_changed_during_the_grading_are_the_ones_applied(student, course):
    """The claim reads the late terms, but the store applies them only if they still hold."""
    submission_id = submit(student, "T101", "penalised", CORRECT.encode(), "a.py").id
    claimed = grading.claim(submission_id, "task-A", "w1")
    assert claimed.terms.extension_due is None and claimed.terms.per_day == 0.1
    extension = deadlines.grant_extension("T101", "penalised", "student@example.edu",
                                          dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert grading.store_result(claimed, DOCUMENT)
    row = fresh(submission_id)
    assert (row.late_days, row.score, row.result["late"]["due"]) == (0, 20.0, extension.due.isoformat())

    other = submit(student, "T101", "penalised", CORRECT.encode(), "b.py").id
    claimed = grading.claim(other, "task-B", "w1")
    assert claimed.terms.extension_due == extension.due
    db.session.delete(db.session.get(Extension, extension.id))
    db.session.get(Assignment, fresh(other).assignment_id).late_penalty_per_day = 0.25
    db.session.commit()
    assert grading.store_result(claimed, DOCUMENT)
    row = fresh(other)
    assert (row.late_days, row.score) == (2, 10.0)  # due 36 hours ago, two days at 25 %


def test_only_the_claiming_run_stores_and_only_once(student):
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    first = grading.claim(submission_id, "task-A", "w1")
    assert first is not None and first.code == CORRECT and (first.course, first.assignment) == ("T101", "t1")
    assert grading.claim(submission_id, "task-B", "w2") is None  # a duplicate job backs off
    again = grading.claim(submission_id, "task-A", "w1")  # its own redelivery takes over
    assert again is not None and again.run_id != first.run_id
    assert grading.store_result(first, DOCUMENT) is False  # the superseded run writes nothing
    assert grading.store_result(again, DOCUMENT) is True
    assert grading.store_result(again, DOCUMENT) is False  # and the winner writes once
    row = fresh(submission_id)
    assert row.status is SubmissionStatus.GRADED and row.grade_count == 1 and row.score == 20.0
    assert grading.claim(submission_id, "task-C", "w3") is None  # graded: not graded twice


def test_a_regrade_supersedes_a_running_job(student):
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    running = grading.claim(submission_id, "task-A", "w1")
    grading.regrade_submission(submission_id)
    assert grading.store_result(running, DOCUMENT) is False
    assert fresh(submission_id).status is SubmissionStatus.QUEUED


def test_non_finite_numbers_are_stored_as_strings(student):
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    claim = grading.claim(submission_id, "task-A", "w1")
    # What the engine hands over: result_document spells non-finite numbers as strings.
    document = json_safe(dict(DOCUMENT, problems=[{"received": [float("nan"), float("inf"), -float("inf"), 1.5]}]))
    assert grading.store_result(claim, document)
    assert fresh(submission_id).result["problems"][0]["received"] == ["nan", "inf", "-inf", 1.5]


def test_a_document_that_is_not_strict_json_is_refused_and_nothing_is_stored(student):
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    claim = grading.claim(submission_id, "task-A", "w1")
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        grading.store_result(claim, dict(DOCUMENT, problems=[{"received": [float("nan")]}]))
    db.session.rollback()
    row = fresh(submission_id)
    assert row.status is SubmissionStatus.RUNNING and row.result is None and row.grade_count == 0


def test_sweep_rescues_only_the_dead_workers_jobs(student, redis_server):
    now = dt.datetime.now(dt.UTC)
    later = now + dt.timedelta(seconds=10)
    db.session.add(WorkerHeartbeat(instance="alive", hostname="h", pid=1, queues="grading", started_at=now,
                                   last_seen=later))  # still heart-beating when the sweep runs
    db.session.commit()
    dead_job = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    live_job = submit(student, "T101", "t1", CORRECT.encode(), "b.py").id
    grading.claim(dead_job, "task-dead", "gone")
    grading.claim(live_job, "task-live", "alive")
    redis_server.client().delete("grading")
    report = grading.sweep(now=later)
    assert report.rescued_running == 1
    assert fresh(dead_job).status is SubmissionStatus.QUEUED and fresh(dead_job).run_id is None
    assert fresh(live_job).status is SubmissionStatus.RUNNING
    assert redis_server.client().llen("grading") == 1  # the rescued job was re-sent


def test_sweep_does_not_duplicate_a_healthy_backlog(student, redis_server):
    ids = [submit(student, "T101", "t1", CORRECT.encode(), f"{i}.py").id for i in range(3)]
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    assert grading.sweep(now=later).resent_queued == 0  # three rows, three messages
    redis_server.client().rpop("grading")  # one message lost
    report = grading.sweep(now=later)
    assert report.resent_queued == 1 and report.queue_depth == 2
    assert redis_server.client().llen("grading") == 3
    assert all(fresh(i).status is SubmissionStatus.QUEUED for i in ids)


def test_the_claim_statement_runs_on_sqlite_too(tmp_path, assignments_dir):
    """The embedded database renders the claim's subqueries differently (unqualified columns)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'claim.sqlite3'}", "SECRET_KEY": "t",
                      "CELERY_BROKER_URL": "memory://", "INSTANCE_PATH": str(tmp_path),
                      "ASSIGNMENTS_DIR": str(assignments_dir)})
    with app.app_context():
        flask_migrate.upgrade()
        course = courses.get_or_create_course("C2")
        assignments.sync(course)
        user, _ = people.get_or_create_user("s@example.edu", "S", Role.STUDENT, "pw")
        people.enrol(user, course, Role.STUDENT)
        db.session.commit()
        other, _ = people.get_or_create_user("o@example.edu", "O", Role.STUDENT, "pw")
        people.enrol(other, course, Role.STUDENT)
        db.session.commit()
        deadlines.grant_extension("C2", "penalised", "o@example.edu", dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
        submission_id = submit(user, "C2", "penalised", CORRECT.encode(), "a.py").id
        claimed = grading.claim(submission_id, "task-A", "w1")
        assert claimed.terms.extension_due is None  # the other student's extension is theirs
        assert grading.store_result(claimed, DOCUMENT, "d" * 64)
        row = db.session.get(Submission, submission_id)
        stored = (row.raw_score, row.score, row.late_days, row.spec_digest, row.result["late"]["days_late"])
        db.session.remove()
        db.engine.dispose()
    assert (claimed.course, claimed.assignment, claimed.code) == ("C2", "penalised", CORRECT)
    assert stored == (20.0, 16.0, 2, "d" * 64, 2)


def test_the_stored_score_is_the_documents_final_score(student):
    submission_id = submit(student, "T101", "penalised", CORRECT.encode(), "late.py").id
    claimed = grading.claim(submission_id, "task-A", "w1")
    assert grading.store_result(claimed, dict(DOCUMENT, score=25.0), "e" * 64)
    row = fresh(submission_id)
    assert row.result["raw_score"] == row.raw_score == 25.0
    assert row.result["score"] == row.score == 20.0  # due 36 hours ago: two days at 10%
    assert row.result["late"]["points_deducted"] == 5.0 and row.late_days == 2
    assert row.spec_digest == "e" * 64


def failed(student, name: str, now: dt.datetime, ago: float) -> int:
    """A submission whose grading failed for a system reason `ago` seconds before `now`."""
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), name).id
    claim = grading.claim(submission_id, f"task-{name}", "w1")
    grading.store_error(claim, "internal grading error: RuntimeError: the engine broke")
    row = fresh(submission_id)
    row.errored_at = now - dt.timedelta(seconds=ago)
    db.session.commit()
    return submission_id


def test_a_system_error_is_graded_again_after_each_delay_then_left_to_staff(student, redis_server, app_context):
    delays = app_context.config["ERROR_RETRY_DELAYS"]
    assert len(delays) >= 2
    now = dt.datetime.now(dt.UTC)
    due = failed(student, "due.py", now, delays[0] + 5)
    early = failed(student, "early.py", now, delays[0] - 5)
    redis_server.client().delete("grading")
    report = grading.sweep(now=now)
    assert report.retried_errors == 1 and redis_server.client().llen("grading") == 1
    assert fresh(due).status is SubmissionStatus.QUEUED and fresh(due).system_retries == 1
    assert fresh(early).status is SubmissionStatus.ERROR and fresh(early).system_retries == 0
    assert grading.sweep(now=now).retried_errors == 0  # not twice for one failure

    # Every retry fails again: each waits for its own delay, and after the last one it stays.
    for number in range(1, len(delays)):
        claim = grading.claim(due, f"task-retry-{number}", "w1")
        grading.store_error(claim, "internal grading error: RuntimeError: still broken")
        row = fresh(due)
        assert grading.retries_left(row) == len(delays) - number and not coursework.is_final(row)
        row.errored_at = now - dt.timedelta(seconds=delays[number] - 5)
        db.session.commit()
        assert grading.sweep(now=now).retried_errors == 0  # its delay has not passed yet
        row.errored_at = now - dt.timedelta(seconds=delays[number] + 5)
        db.session.commit()
        assert grading.sweep(now=now).retried_errors == 1 and fresh(due).system_retries == number + 1
    claim = grading.claim(due, "task-last", "w1")
    grading.store_error(claim, "internal grading error: RuntimeError: broken for good")
    row = fresh(due)
    row.errored_at = now - dt.timedelta(days=30)
    db.session.commit()
    assert grading.sweep(now=now).retried_errors == 0
    assert fresh(due).status is SubmissionStatus.ERROR and coursework.is_final(fresh(due))

    # A staff regrade starts the automatic retries over.
    grading.regrade_submission(due)
    assert fresh(due).system_retries == 0 and grading.retries_left(fresh(due)) == len(delays)


def test_a_retried_error_is_graded_for_real_once_the_cause_is_gone(student, redis_server, assignments_dir):
    """The real engine, twice: first the assignment file is broken (a system error, not a zero),
    then it is fixed, and the sweeper's retry grades the same submission with full marks."""
    path = assignments_dir / "t1.toml"
    good = path.read_text()
    submission_id = submit(student, "T101", "t1", CORRECT.encode(), "a.py").id
    try:
        path.write_text(good + "\nthis is not toml = = =\n")
        assert grading.grade(submission_id, "task-1", "w1") == "error"
    finally:
        path.write_text(good)
    assert fresh(submission_id).status is SubmissionStatus.ERROR
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=grading.current_app.config["ERROR_RETRY_DELAYS"][0] + 1)
    assert grading.sweep(now=later).retried_errors == 1
    assert grading.grade(submission_id, "task-2", "w1") == "graded"
    row = fresh(submission_id)
    assert row.status is SubmissionStatus.GRADED and row.score == row.max_score and row.system_retries == 1
