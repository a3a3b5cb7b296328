"""Regrade dry runs: whose score would change and by how much, nothing stored until committed,
then the normal queue."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from app.models import Submission, SubmissionStatus
from app.services import assignments, deadlines, overrides, regrades, results
from app.services.regrades import RegradeRefused
from graders.runner import SubprocessRunner
from tests.support.servers import CORRECT


def test_a_dry_run_lists_the_changes_stores_nothing_and_commit_queues_the_regrade(course, classroom, enrol, hand_in):
    late_student = enrol("late@example.edu", name="Lou Late")
    penalised = assignments.get_assignment(course.code, "penalised")  # due 36 hours ago, 10% a day
    first = hand_in(late_student, CORRECT, "penalised")
    assert first.score == 20.0  # two days late
    overridden = hand_in(classroom["ada"], CORRECT, "penalised")
    overrides.set_override(overridden, 24, "documented illness", by=late_student)
    for student in (late_student, classroom["ada"]):
        deadlines.grant_extension(course.code, "penalised", student.email, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))

    preview = regrades.request_preview(penalised, late_student)
    assert preview.status == "queued"
    with pytest.raises(RegradeRefused, match="not finished"):
        regrades.commit(preview)
    assert regrades.compute_preview(preview.id, runner=SubprocessRunner()) == "done"
    db.session.expire_all()
    preview = db.session.get(type(preview), preview.id)
    assert preview.total == 2 and preview.done == 2
    changes = {c["email"]: c for c in preview.changes}
    assert set(changes) == {"late@example.edu", "ada@example.edu"}
    lou = changes["late@example.edu"]
    assert (lou["old"], lou["new"], lou["counted_old"], lou["counted_new"]) == (20.0, 25.0, 20.0, 25.0)
    ada = changes["ada@example.edu"]
    assert (ada["counted_old"], ada["counted_new"], ada["overridden"]) == (24.0, 24.0, True)  # the override stays
    # Nothing was stored on the submissions.
    assert db.session.get(Submission, first.id).score == 20.0
    assert db.session.get(Submission, first.id).grade_count == 1

    assert regrades.commit(preview) == 2
    assert {s.status for s in db.session.query(Submission).filter_by(assignment_id=penalised.id)} == {
        SubmissionStatus.QUEUED}
    with pytest.raises(RegradeRefused, match="already sent"):
        regrades.commit(preview)
    assert results.standings(penalised, classroom["ada"])[0].counted is None  # queued until the worker grades it


def test_a_dry_run_of_one_submission_grades_only_it(course, classroom):
    t1 = assignments.get_assignment(course.code, "t1")
    cy_submission = results.standings(t1, classroom["cy"])[0].counted
    preview = regrades.request_preview(t1, classroom["ada"], submission=cy_submission)
    assert regrades.compute_preview(preview.id, runner=SubprocessRunner()) == "done"
    db.session.expire_all()
    preview = db.session.get(type(preview), preview.id)
    assert (preview.total, preview.changes) == (1, [])  # same file, same spec: no change


def test_a_dry_run_that_cannot_load_the_assignment_fails_visibly(course, classroom, assignments_dir):
    t1 = assignments.get_assignment(course.code, "t1")
    preview = regrades.request_preview(t1, classroom["ada"])
    path = assignments_dir / "t1.toml"
    original = path.read_text()
    path.write_text(original.replace('id = "softmax"', 'id = "no_such_problem"'))
    try:
        assert regrades.compute_preview(preview.id, runner=SubprocessRunner()) == "failed"
    finally:
        path.write_text(original)
    db.session.expire_all()
    assert "no_such_problem" in db.session.get(type(preview), preview.id).error


def test_a_whole_assignment_regrade_through_a_real_worker_keeps_overrides(course, enrol, database_url, redis_server,
                                                                         assignments_dir, tmp_path):
    from app.models import RegradePreview
    from app.services.submissions import submit
    from tests.support.servers import ServiceProcess, service_env, wait_for, worker_command
    from tests.support.waiting import rows, wait_for_worker, wait_until_done

    lou, ada = enrol("lou@example.edu", name="Lou Late"), enrol("ada@example.edu", name="Ada Early")
    ids = [submit(student, course.code, "penalised", CORRECT.encode(), "hw.py").id for student in (lou, ada)]
    (tmp_path / "instance").mkdir()
    worker = ServiceProcess(worker_command("regrade-w1", concurrency=1),
                            service_env(database_url, redis_server.url, tmp_path / "instance", assignments_dir),
                            tmp_path / "worker.log").start()
    try:
        wait_for_worker("regrade-w1", timeout=90)
        lou_row, ada_row = wait_until_done(ids, timeout=120)
        assert (lou_row.score, ada_row.score) == (20.0, 20.0), worker.output()[-2000:]
        overrides.set_override(ada_row, 22, "partial credit agreed in office hours", by=lou)
        deadlines.grant_extension(course.code, "penalised", lou.email, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))

        penalised = assignments.get_assignment(course.code, "penalised")
        preview_id = regrades.request_preview(penalised, lou).id

        def finished() -> bool:
            db.session.rollback()
            return db.session.get(RegradePreview, preview_id).status in ("done", "failed")

        wait_for(finished, 120, "the dry run")
        preview = db.session.get(RegradePreview, preview_id)
        assert preview.status == "done", (preview.error, worker.output()[-2000:])
        assert [(c["email"], c["old"], c["new"]) for c in preview.changes] == [("lou@example.edu", 20.0, 25.0)]
        assert regrades.commit(preview) == 2
        wait_for(lambda: all(r.grade_count == 2 for r in rows(ids)), 120, "the regrade")
        lou_row, ada_row = rows(ids)
        assert (lou_row.score, lou_row.late_days) == (25.0, 0)  # the extension applied
        assert (ada_row.score, ada_row.override_score, ada_row.effective_score) == (20.0, 22.0, 22.0)
    finally:
        worker.stop()
