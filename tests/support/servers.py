"""Real servers for the service-layer tests: a fresh PostgreSQL database per session on the
shared server, private redis-server and PostgreSQL instances for fault tests, and real
`celery worker` / `celery beat` processes.

A missing service skips the tests locally and fails them when CI=true."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CELERY = str(Path(sys.executable).parent / "celery")
PG_HOST = os.environ.get("TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("TEST_PG_USER", "postgres")
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/local/bin"))

ASSIGNMENT_T1 = """
name = "t1"
title = "Test assignment: sigmoid and softmax"
seed = 7
[[problems]]
id = "sigmoid"
points = 10
[[problems]]
id = "softmax"
points = 15
"""

CORRECT = '''
import numpy as np

def sigmoid_grad(x):
    s = 0.5 * (1.0 + np.tanh(0.5 * x))
    return s * (1.0 - s)

def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return np.diagflat(s) - s @ s.T
'''

WRONG = '''
import numpy as np

def sigmoid_grad(x):
    s = 1.0 / (1.0 + np.exp(-x))
    return -s * (1.0 - s)
'''


def unavailable(message: str) -> None:
    """Skip locally; fail in CI, where every service must be there."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"required service missing in CI: {message}")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.05,
             logs: Sequence[Path] = ()) -> Any:
    """Poll until condition() is truthy. On a timeout the tails of `logs` go into the failure, because
    a stalled service says why only there."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            tails = "".join(f"\n--- {log} (last 3000 characters)\n{_tail(log)}" for log in logs)
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{tails}")
        time.sleep(interval)


def _tail(log: Path, size: int = 3000) -> str:
    try:
        return log.read_text(errors="replace")[-size:]
    except OSError as error:
        return f"(unreadable: {error})"


# --- PostgreSQL --------------------------------------------------------------------------------

def pg_admin_dsn(port: int = PG_PORT, host: str = PG_HOST) -> str:
    return f"host={host} port={port} user={PG_USER} dbname=postgres"


def create_database(prefix: str = "ng_test", port: int = PG_PORT, host: str = PG_HOST) -> str:
    """A fresh database on the server; returns its SQLAlchemy URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_admin_dsn(port, host), autocommit=True, connect_timeout=3) as conn:
        drop_abandoned_databases(conn, prefix)
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{PG_USER}@{host}:{port}/{name}"


def drop_abandoned_databases(conn: psycopg.Connection, prefix: str) -> None:
    """Drop the databases of test runs that were killed before their teardown ran: each name
    carries the pid of its run, and that process is gone."""
    names = [name for (name,) in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                              (prefix.replace("_", "\\_") + "\\_%",))]
    for name in names:
        pid = name[len(prefix) + 1:].split("_", 1)[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_database(url: str, port: int = PG_PORT, host: str = PG_HOST) -> None:
    name = url.rsplit("/", 1)[1]
    try:
        with psycopg.connect(pg_admin_dsn(port, host), autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.OperationalError:
        pass


def require_postgres() -> None:
    try:
        with psycopg.connect(pg_admin_dsn(), connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL at {PG_HOST}:{PG_PORT}: {str(exc).splitlines()[0]}")


@dataclass
class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a spare port, which a test may stop and restart."""

    directory: Path
    port: int
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.directory / "postgres.log"

    def _as_postgres(self, *command: str) -> list[str]:
        # initdb and postgres refuse to run as root.
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        subprocess.run(self._as_postgres(str(PG_BIN / "initdb"), "-D", str(self.directory / "data"), "-U", PG_USER,
                                         "--auth=trust", "--no-sync", "-E", "UTF8"),
                       check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-l",
                                         str(self.log), "-o", options, "-w", "-t", "30", "start"),
                       check=True, capture_output=True)

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(self._as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", mode,
                                         "-w", "-t", "30", "stop"), capture_output=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    if not (PG_BIN / "initdb").exists():
        unavailable(f"no initdb in {PG_BIN}")
    directory = Path(tempfile.mkdtemp(prefix="ng-pg-"))
    server = PrivatePostgres(directory, free_port())
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


# --- Redis -------------------------------------------------------------------------------------

@dataclass
class PrivateRedis:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        wait_for(lambda: _pings(client), 10, f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        unavailable("no redis-server binary")
    server = PrivateRedis(free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- Workers -----------------------------------------------------------------------------------

def service_env(database_url: str, broker_url: str, instance: Path, assignments_dir: Path,
                **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NABLAGRADE_", "CELERY_"))}
    env.update({
        "DATABASE_URL": database_url,
        "REDIS_URL": broker_url,
        "NABLAGRADE_INSTANCE": str(instance),
        "NABLAGRADE_ASSIGNMENTS_DIR": str(assignments_dir),
        "NABLAGRADE_WORKER_HEARTBEAT": "0.5",
        "NABLAGRADE_WORKER_STALE": "3",
        "NABLAGRADE_QUEUED_GRACE": "1",
        "NABLAGRADE_SWEEP_INTERVAL": "1",
        "SECRET_KEY": "test-only",
        "PYTHONUNBUFFERED": "1",
        "PYTHONWARNINGS": "ignore",
    })
    env.update(extra)
    return env


@dataclass
class ServiceProcess:
    """A celery worker or beat started as its own process group."""

    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> ServiceProcess:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        handle.close()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self) -> None:
        """SIGKILL the whole group: the main process and its pool children, no goodbyes."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self, timeout: float = 20) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # the main process only: a warm shutdown
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # whatever is left in its group
        except ProcessLookupError:
            pass
        self.process.wait(10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def worker_command(name: str, queues: str = "grading,webhooks,maintenance", concurrency: int = 2) -> list[str]:
    return [CELERY, "-A", "worker.celery_app", "worker", "-Q", queues, "-c", str(concurrency),
            "-n", f"{name}@%h", "-l", "info", "--without-gossip", "--without-mingle"]


def beat_command(schedule: Path) -> list[str]:
    return [CELERY, "-A", "worker.celery_app", "beat", "-l", "info", "-s", str(schedule)]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url + "/healthz", timeout=2).close()
    except urllib.error.HTTPError:
        return True  # 503 until a worker beats: but it answers
    except OSError:
        return False
    return True


@contextmanager
def web_and_worker(database_url: str, broker_url: str, assignments_dir: Path, folder: Path,
                   worker_name: str) -> Iterator[str]:
    """The app as deployed for the browser tests: gunicorn's sync workers and one Celery worker on
    the test database and broker. Yields the base URL; the logs are folder/web.log and worker.log."""
    from tests.support.waiting import wait_for_worker  # it imports this module

    for name in ("web", "worker"):
        (folder / name).mkdir(exist_ok=True)
    port = free_port()
    web = ServiceProcess([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers",
                          "2", "--graceful-timeout", "5", "app:create_app()"],
                         service_env(database_url, broker_url, folder / "web", assignments_dir),
                         folder / "web.log").start()
    worker = ServiceProcess(worker_command(worker_name, concurrency=1),
                            service_env(database_url, broker_url, folder / "worker", assignments_dir),
                            folder / "worker.log").start()
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url) or web.process.poll() is not None, 60, "gunicorn to answer")
        assert web.process.poll() is None, web.output()
        wait_for_worker(worker_name, timeout=120)
        yield url
    finally:
        worker.stop()
        web.stop()
