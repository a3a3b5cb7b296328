"""Exactly-once grading under faults: a killed worker, a flushed broker, a restarted database."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, Submission, SubmissionStatus
from app.services import assignments, courses, people
from app.services.submissions import submit
from tests.support.factories import TEST_COURSE, make_app, write_assignments
from tests.support.servers import CORRECT, ServiceProcess, create_database, private_postgres, wait_for, worker_command
from tests.support.waiting import DONE, rows, wait_until_done


# Correct, but each sigmoid call takes a while: long enough to kill a worker in the middle of it.
def busy(iterations: int) -> str:
    """CORRECT, with a pure-Python busy loop in sigmoid_grad (time.sleep is not an allowed import)."""
    return CORRECT.replace("def sigmoid_grad(x):\n",
                           f"def sigmoid_grad(x):\n    spin = 0\n    for i in range({iterations}):\n        spin += i\n")


SLOW = busy(10_000_000)  # ~0.3 s a call, 4 calls: over a second to kill it in


def test_a_worker_killed_mid_job_grades_it_once_after_restart(student, services):
    submission_id = submit(student, TEST_COURSE, "t1", SLOW.encode(), "slow.py").id
    first = services.worker("first")
    wait_for(lambda: rows([submission_id])[0].status is SubmissionStatus.RUNNING, 60, "the job to start")
    time.sleep(0.3)
    first.kill()  # SIGKILL the worker and its pool children in the middle of grading

    stuck = rows([submission_id])[0]
    assert stuck.status is SubmissionStatus.RUNNING and stuck.grade_count == 0
    services.worker("second")
    services.beat()  # the sweeper notices the dead worker's claim
    graded = wait_until_done([submission_id], timeout=90)[0]
    time.sleep(5)  # room for any duplicate (broker redelivery, second sweep) to do damage
    graded = rows([submission_id])[0]
    assert graded.status is SubmissionStatus.GRADED, graded.error
    assert graded.score == 25
    assert graded.grade_count == 1
    assert graded.worker.startswith("second@")


def test_flushing_redis_with_jobs_queued_loses_nothing(student, services, redis_server):
    ids = [submit(student, TEST_COURSE, "t1", CORRECT.encode(), f"s{i}.py").id for i in range(6)]
    assert redis_server.client().llen("grading") == 6
    redis_server.client().flushall()  # the broker forgets every queued job
    services.worker("w1")
    services.beat()
    graded = wait_until_done(ids, timeout=90)
    time.sleep(3)
    graded = rows(ids)
    assert [s.status for s in graded] == [SubmissionStatus.GRADED] * 6
    assert [s.grade_count for s in graded] == [1] * 6
    assert all(s.score == 25 for s in graded)


def test_restarting_postgresql_while_results_are_written_loses_and_duplicates_nothing(
        services, redis_server, tmp_path):

    count = 12
    with private_postgres() as server:
        url = create_database("ng_restart", port=server.port)
        assignment_files = write_assignments(tmp_path / "assignments")
        app = make_app(url, redis_server.url, tmp_path / "instance-pg", assignment_files)
        with app.app_context():
            course = courses.get_or_create_course(TEST_COURSE)
            assignments.sync(course)
            user, _ = people.get_or_create_user("s@example.edu", "S", Role.STUDENT, "pw")
            people.enrol(user, course, Role.STUDENT)
            db.session.commit()
            medium = busy(500_000)
            ids = [submit(user, TEST_COURSE, "t1", medium.encode(), f"s{i}.py").id for i in range(count)]
            env = services.env(DATABASE_URL=url)
            worker = ServiceProcess(worker_command("pgw"), env, tmp_path / "pgw.log")
            services.started.append(worker.start())
            wait_for(lambda: sum(s.status is SubmissionStatus.GRADED for s in rows(ids)) >= 2, 90,
                     "the first results")
            pending = sum(s.status is not SubmissionStatus.GRADED for s in rows(ids))
            db.session.remove()
            db.engine.dispose()

            server.stop("fast")  # in the middle of the burst: claims and result writes fail
            time.sleep(2)
            server.start()

            graded = wait_until_done(ids, timeout=120)
            time.sleep(2)
            graded = rows(ids)
            total = db.session.scalar(select(func.count(Submission.id)))
            db.session.remove()
            db.engine.dispose()
        worker.stop()
    assert pending > 0, "the restart came too late to test anything"
    assert total == count
    assert [s.status for s in graded] == [SubmissionStatus.GRADED] * count, [s.error for s in graded]
    assert [s.grade_count for s in graded] == [1] * count
    assert all(s.score == 25 for s in graded)


def test_restarting_redis_under_load_grades_everything_once(student, services, redis_server):
    """Redis restarts without persistence while jobs run and wait: in-flight acks and queued
    messages are gone; the database still knows every submission."""
    ids = [submit(student, TEST_COURSE, "t1", busy(300_000).encode(), f"s{i}.py").id for i in range(10)]
    services.worker("w1")
    services.beat()
    wait_for(lambda: any(s.status is SubmissionStatus.GRADED for s in rows(ids)), 90, "the first result")
    pending = sum(s.status is not SubmissionStatus.GRADED for s in rows(ids))
    redis_server.stop()
    time.sleep(1)
    redis_server.start()
    graded = wait_until_done(ids, timeout=120)
    time.sleep(3)
    graded = rows(ids)
    assert pending > 0, "the restart came too late to test anything"
    assert [s.status for s in graded] == [SubmissionStatus.GRADED] * len(ids), [s.error for s in graded]
    assert [s.grade_count for s in graded] == [1] * len(ids)



@pytest.mark.parametrize("redis_back_before_the_worker_wakes", [False, True], ids=["redis-still-down", "redis-back"])
def test_killing_redis_while_a_worker_holds_a_job_kills_no_process(student, services, redis_server, tmp_path,
                                                                  redis_back_before_the_worker_wakes):
    """Production topology: a grading worker, a services worker and beat. The grading worker holds
    one claimed, unacknowledged job with a slot free (so it is also waiting on the broker); its
    whole group is frozen so the job is surely in flight when Redis is SIGKILLed and restarted
    empty. Celery 5.7.0 died here ("Unrecoverable error: AttributeError(... 'hostname')") when
    Redis was still down as the worker noticed the loss: constraints.txt pins what passes."""
    sweeps = {"NABLAGRADE_SWEEP_INTERVAL": "1"}
    grading = ServiceProcess(worker_command("grading", queues="grading", concurrency=2), services.env(**sweeps),
                             tmp_path / "grading.log").start()
    services.started.append(grading)
    background = ServiceProcess([*worker_command("services", queues="webhooks,maintenance"), "-P", "threads"],
                                services.env(**sweeps), tmp_path / "services.log").start()
    services.started.append(background)
    beat = services.beat(**sweeps)
    first = submit(student, TEST_COURSE, "t1", SLOW.encode(), "slow.py").id
    wait_for(lambda: rows([first])[0].status is SubmissionStatus.RUNNING, 90, "the job to be claimed")
    os.killpg(grading.pid, signal.SIGSTOP)
    try:
        assert redis_server.process is not None
        redis_server.process.kill()
        redis_server.process.wait(10)
        if redis_back_before_the_worker_wakes:
            redis_server.start()
        else:
            os.killpg(grading.pid, signal.SIGCONT)
            wait_for(lambda: "Connection to broker lost" in grading.output(), 30, "the worker to see Redis gone")
            time.sleep(2)  # the worker retries against a dead broker
            redis_server.start()  # empty: it keeps nothing on disk
    finally:
        os.killpg(grading.pid, signal.SIGCONT)
    wait_for(lambda: "Connection to broker lost" in grading.output(), 30, "the worker to see Redis gone")
    later = [submit(student, TEST_COURSE, "t1", CORRECT.encode(), f"s{i}.py").id for i in range(3)]
    ids = [first, *later]
    processes = (grading, background, beat)
    wait_for(lambda: all(s.status in DONE for s in rows(ids)) or any(p.process.poll() is not None for p in processes),
             120, "the submissions to be graded")
    time.sleep(3)  # room for a late crash or a duplicate
    graded = rows(ids)
    for process in processes:
        assert process.process.poll() is None, process.output()[-3000:]
        assert "Unrecoverable error" not in process.output(), process.output()[-3000:]
    assert [s.status for s in graded] == [SubmissionStatus.GRADED] * len(ids), [s.error for s in graded]
    assert [s.grade_count for s in graded] == [1] * len(ids)
    assert graded[0].worker.startswith("grading@")


def test_a_pool_process_killed_mid_job_is_graded_once_by_the_same_worker(student, services):
    submission_id = submit(student, TEST_COURSE, "t1", SLOW.encode(), "slow.py").id
    worker = services.worker("w1")
    wait_for(lambda: rows([submission_id])[0].status is SubmissionStatus.RUNNING, 90, "the job to start")
    child = pool_process_running(worker.pid)
    os.kill(child, signal.SIGKILL)  # Celery forks a new pool process; the message is rejected and redelivered
    graded = wait_until_done([submission_id], timeout=90)[0]
    time.sleep(3)
    graded = rows([submission_id])[0]
    assert worker.process.poll() is None, worker.output()[-3000:]
    assert "WorkerLostError" in worker.output() or "exited with 'signal 9" in worker.output(), worker.output()[-3000:]
    assert graded.status is SubmissionStatus.GRADED, graded.error
    assert graded.grade_count == 1
    assert graded.score == 25


def pool_process_running(main_pid: int) -> int:
    """The pool process of a worker that is busy (the one with the most CPU time)."""
    children = Path(f"/proc/{main_pid}/task/{main_pid}/children").read_text().split()
    assert children, "the worker has no pool process"

    def cpu(pid: str) -> int:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    return int(max(children, key=cpu))
