from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.servers import ServiceProcess, beat_command, service_env, worker_command


class Services:
    """Starts real `celery worker` / `celery beat` processes; stops every one at teardown."""

    def __init__(self, database_url: str, broker_url: str, instance: Path, assignments: Path, logs: Path) -> None:
        self.database_url, self.broker_url = database_url, broker_url
        self.instance, self.assignments, self.logs = instance, assignments, logs
        self.started: list[ServiceProcess] = []

    def env(self, **extra: str) -> dict[str, str]:
        return service_env(self.database_url, self.broker_url, self.instance, self.assignments, **extra)

    def worker(self, name: str = "w1", concurrency: int = 2, **extra: str) -> ServiceProcess:
        process = ServiceProcess(worker_command(name, concurrency=concurrency), self.env(**extra),
                                 self.logs / f"{name}.log").start()
        self.started.append(process)
        return process

    def beat(self, **extra: str) -> ServiceProcess:
        process = ServiceProcess(beat_command(self.logs / "beat-schedule"), self.env(**extra),
                                 self.logs / "beat.log").start()
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.started):
            process.stop()

    def logs_text(self) -> str:
        return "\n".join(f"--- {p.log.name}\n{p.output()[-4000:]}" for p in self.started)


@pytest.fixture
def services(request, app, database_url, redis_server, assignments_dir, tmp_path) -> Iterator[Services]:
    instance = tmp_path / "instance"
    instance.mkdir()
    running = Services(database_url, redis_server.url, instance, assignments_dir, tmp_path)
    yield running
    running.stop_all()
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(running.logs_text())


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
