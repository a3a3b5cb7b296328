"""A grading worker never runs without the sandbox: it refuses to start and says why."""

import time

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
