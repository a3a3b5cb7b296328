"""A grading worker never runs without the sandbox: it refuses to start and says why. It warms up
before its first job, and leaves what it warmed up out of later garbage collections."""

import gc
import time

import pytest

from tests.support.servers import ServiceProcess, worker_command


def test_a_grading_worker_without_bubblewrap_refuses_to_start(services):
    # No bwrap on PATH: the sandbox cannot be set up, so the worker must exit at once.
    process = services.worker(name="nobwrap", PATH="/nonexistent")
    process.process.wait(120)
    assert process.process.returncode != 0
    assert "refusing to start a grading worker without the sandbox" in process.output()
    assert "bubblewrap is not installed" in process.output()


def test_a_worker_for_webhooks_only_does_not_need_the_sandbox(services):
    command = worker_command("hooks", queues="webhooks,maintenance", concurrency=1)
    process = ServiceProcess(command, services.env(PATH="/nonexistent"), services.logs / "hooks.log").start()
    services.started.append(process)
    ready = False
    for _ in range(240):
        if "ready." in process.output():
            ready = True
            break
        if process.process.poll() is not None:
            break
        time.sleep(0.25)
    assert ready, process.output()[-2000:]
    assert process.process.poll() is None


def _sender(app, queues):
    from types import SimpleNamespace

    return SimpleNamespace(app=SimpleNamespace(flask_app=app, amqp=SimpleNamespace(
        queues=SimpleNamespace(consume_from=dict.fromkeys(queues)))))


@pytest.fixture
def empty_store(tmp_path, monkeypatch):
    from graders import preparation, reference_store

    monkeypatch.setenv(reference_store.CACHE_ENV, str(tmp_path / "references"))
    preparation.prepare.cache_clear()
    preparation._visible.cache_clear()
    yield tmp_path / "references"
    preparation.prepare.cache_clear()
    preparation._visible.cache_clear()


def test_a_grading_worker_fills_the_store_before_its_pool_forks(app, empty_store):
    from app.services import assignments
    from graders.preparation import prepare
    from worker import warmup

    warmup.store_references(_sender(app, ["grading"]))
    with app.app_context():
        specs = [assignments.load_spec(course, name).spec for course, name in assignments.specs_in_use()]
    settings = {(c.problem.id, s.seed, c.trials, s.hidden_pool) for s in specs for c in s.problems}
    assert settings
    for problem_id, seed, trials, pool in settings:
        stored = list(empty_store.glob(f"{problem_id}-*-{seed}-{trials}-*.npz"))
        assert len(stored) == pool + 1, problem_id  # the visible trials and every hidden set
    # ... and kept in memory, which the pool's children inherit: no trial set is read again.
    before = prepare.cache_info()
    spec = specs[0]
    for hidden_set in range(spec.hidden_pool):
        prepare(spec.problems[0].problem, spec.seed, spec.problems[0].trials, hidden_set)
    assert prepare.cache_info().misses == before.misses


def test_a_worker_that_does_not_grade_does_not_warm_up(app, empty_store):
    from worker import warmup

    warmup.store_references(_sender(app, ["webhooks", "maintenance"]))
    assert not empty_store.exists()


@pytest.fixture
def unfrozen():
    # What a test freezes would otherwise stay out of collections for the rest of the session.
    gc.unfreeze()
    yield
    gc.unfreeze()


def _tracked(value):
    return any(candidate is value for candidate in gc.get_objects())


def test_what_the_main_process_warmed_up_is_frozen_before_the_pool_forks(app, empty_store, unfrozen):
    from app.services import assignments
    from graders.preparation import prepare
    from worker import warmup

    warmup.store_references(_sender(app, ["grading"]))
    with app.app_context():
        course, name = assignments.specs_in_use()[0]
        spec = assignments.load_spec(course, name).spec
    trial_set = prepare(spec.problems[0].problem, spec.seed, spec.problems[0].trials, 0)
    assert gc.get_freeze_count() > 0
    assert not _tracked(trial_set)  # a collection no longer walks it
    gc.unfreeze()
    assert _tracked(trial_set)  # ... which it would without the freeze


def test_a_worker_that_does_not_grade_freezes_nothing(app, empty_store, unfrozen):
    from worker import warmup

    warmup.store_references(_sender(app, ["webhooks", "maintenance"]))
    assert gc.get_freeze_count() == 0


def test_a_pool_child_freezes_what_it_warmed_up(app, empty_store, unfrozen):
    from app.services import assignments
    from graders.preparation import prepare
    from worker import warmup

    warmup.prepare_references(app)  # what a pool child runs first (worker_process_init)
    with app.app_context():
        course, name = assignments.specs_in_use()[0]
        spec = assignments.load_spec(course, name).spec
    misses = prepare.cache_info().misses
    trial_set = prepare(spec.problems[0].problem, spec.seed, spec.problems[0].trials, spec.hidden_pool - 1)
    assert prepare.cache_info().misses == misses  # prepared while warming up ...
    assert gc.get_freeze_count() > 0
    assert not _tracked(trial_set)  # ... and frozen since
