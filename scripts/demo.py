"""`make demo`: the whole service on this machine, as separate processes.

    web      gunicorn serving app:create_app() on http://127.0.0.1:5000
    grading  celery worker on the `grading` queue (the sandboxed engine)
    services celery worker on `webhooks` and `maintenance` (webhook delivery and the sweepers)
    beat     celery beat (schedules the sweeper)

With no DATABASE_URL / REDIS_URL it needs no server: SQLite and a filesystem broker under
instance/. With them set, the same command runs on PostgreSQL and Redis. Ctrl-C stops
everything (SIGTERM to each process group, SIGKILL after a grace period).

A process that exits on its own once the service is up is started again, after a back-off
that doubles with each quick exit (1 s up to 60 s). One demo owns its instance folder:
instance/demo.lock is locked for as long as the demo or any process it started runs, and a
second demo on the same folder refuses to start, naming them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: import the app from this checkout
BIN = Path(sys.executable).parent
GRACE = 15.0
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 60.0
STABLE_AFTER = 60.0  # a process that ran this long before exiting starts the back-off afresh
LOCK_NAME = "demo.lock"  # app.config.DEMO_LOCK: `flask` commands read the address written in it


class InstanceInUse(Exception):
    """Another demo (or a process it left running) holds the instance folder."""


def parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def describe_process(pid: int, owner: dict) -> str:
    """What a lock holder is: the demo, one of its processes by role, or a pool process of one."""
    roles = {int(p): name for name, p in owner.get("processes", {}).items() if str(p).isdigit()}
    if pid == owner.get("pid"):
        return "the demo (scripts/demo.py)"
    if pid in roles:
        return roles[pid]
    parent = parent_of(pid)
    if parent in roles:
        return f"{roles[parent]}: a process it started"
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(w.decode(errors="replace") for w in words if w)[:100]


def lock_holders(lock: Path) -> list[int]:
    """Processes that have the lock file open: the demo and every process it started."""
    target, holders = str(lock.resolve()), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if any(os.readlink(fd) == target for fd in (entry / "fd").iterdir()):
                holders.append(int(entry.name))
        except OSError:
            continue  # gone, or not ours to read
    return sorted(holders)


def lock_instance(instance: Path) -> IO[str]:
    """Take instance/demo.lock for this demo, or raise InstanceInUse saying who holds it.

    The lock is an flock on the open file: the kernel drops it when the last process holding
    the file exits, so a demo that died leaves a file behind but never a lock. The children
    inherit the descriptor, so workers a killed demo left running still hold it."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / LOCK_NAME
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        try:
            owner = json.loads(handle.read() or "{}")
        except ValueError:
            owner = {}
        handle.close()
        raise InstanceInUse(describe_owner(path, owner)) from None
    return handle


def describe_owner(path: Path, owner: dict) -> str:
    pid = owner.get("pid")
    lines = [f"{path.parent} is in use by another `make demo`"
             + (f": pid {pid}, {owner.get('url', '?')}, started {owner.get('started', '?')}" if pid else "")]
    holders = lock_holders(path)
    if pid and not Path(f"/proc/{pid}").exists():
        lines.append(f"pid {pid} has exited, but processes it started still run and hold {path.name}:")
    elif holders:
        lines.append(f"processes holding {path.name}:")
    lines += [f"  {holder}  {describe_process(holder, owner)}" for holder in holders]
    lines.append("Stop that demo (Ctrl-C in its terminal, or `kill <pid>`), or give this one its own folder:"
                 " NABLAGRADE_INSTANCE=/path/to/another make demo")
    return "\n".join(lines)


STARTED = dt.datetime.now().astimezone().isoformat(timespec="seconds")


def record_owner(handle: IO[str], url: str, processes: dict[str, Supervised]) -> None:
    """Say in the lock file who holds the instance (read by a second demo's refusal)."""
    owner = {"pid": os.getpid(), "url": url, "started": STARTED,
             "processes": {name: p.process.pid for name, p in processes.items()}}
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(owner) + "\n")
    handle.flush()


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def prepare_database() -> list[str]:
    """Migrate and seed, in this process, before anything else starts."""
    import flask_migrate

    from app import create_app
    from app.services.demo import seed_demo

    app = create_app()
    with app.app_context():
        flask_migrate.upgrade()
        lines = seed_demo()
        backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
        broker = app.config["CELERY_BROKER_URL"].split(":", 1)[0]
    return [f"database: {backend}, broker: {broker}", *lines]


def commands(host: str, port: int, web_concurrency: int, grading_concurrency: int,
             services_concurrency: int) -> dict[str, list[str]]:
    celery = [str(BIN / "celery"), "-A", "worker.celery_app"]
    return {
        "web": [str(BIN / "gunicorn"), "--bind", f"{host}:{port}", "--workers", str(web_concurrency),
                "--access-logfile", "-",
                "--graceful-timeout", "10", "app:create_app()"],
        "grading": [*celery, "worker", "-Q", "grading", "-c", str(grading_concurrency), "-n", "grading@%h",
                    "-l", "info", "--without-gossip", "--without-mingle"],
        "services": [*celery, "worker", "-Q", "webhooks,maintenance", "-P", "threads", "-c", str(services_concurrency),
                     "-n", "services@%h", "-l", "info", "--without-gossip", "--without-mingle"],
        "beat": [*celery, "beat", "-l", "info"],
    }


@dataclass
class Supervised:
    """One of the demo's processes, started again with back-off when it exits on its own."""

    name: str
    command: list[str]
    log: Path
    env: dict[str, str]
    keep_open: tuple[int, ...] = ()
    process: subprocess.Popen = field(init=False)
    started: float = field(init=False)
    restarts: int = 0
    restart_at: float | None = None

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True, pass_fds=self.keep_open)
        self.started = time.monotonic()

    def check(self, now: float) -> str | None:
        """Restart the process if it is due; schedule a restart if it has just exited. Says what it did."""
        if self.restart_at is not None:
            if now < self.restart_at:
                return None
            self.restart_at = None
            self.start()
            return f"{self.name} started again (pid {self.process.pid})"
        status = self.process.poll()
        if status is None:
            return None
        if now - self.started >= STABLE_AFTER:
            self.restarts = 0
        delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** self.restarts)
        self.restarts += 1
        self.restart_at = now + delay
        how = f"signal {signal.Signals(-status).name}" if status < 0 else f"status {status}"
        return (f"{self.name} (pid {self.process.pid}) exited on its own with {how}; starting it again in {delay:g} s"
                f" (restart {self.restarts}; see {self.log})")


def say(message: str, logs: Path) -> None:
    line = f"[{dt.datetime.now().astimezone().isoformat(timespec='seconds')}] {message}"
    print(line, file=sys.stderr, flush=True)
    with (logs / "demo.log").open("a") as log:
        log.write(line + "\n")


def wait_healthy(url: str, processes: dict[str, Supervised], timeout: float) -> dict | None:
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        # At start-up an exit is a configuration problem (no sandbox, a bad URL): say so, do not loop.
        for name, supervised in processes.items():
            process = supervised.process
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with status {process.returncode}; see {supervised.log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            body = json.loads(exc.read() or b"{}")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    print(f"not healthy after {timeout:.0f} s: {json.dumps(body)}", file=sys.stderr)
    return None


def smoke_test(timeout: float = 90) -> bool:
    """Submit the example hw1 solution as a student and wait for its grade."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Submission, SubmissionStatus, User
    from app.services.demo import DEMO_COURSE
    from app.services.submissions import submit

    app = create_app()
    with app.app_context():
        student = db.session.scalar(select(User).where(User.email == "alice@example.edu"))
        example = ROOT / "assignments" / "examples" / "hw1_correct.py"
        submission_id = submit(student, DEMO_COURSE, "hw1", example.read_bytes(), example.name).id
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            db.session.rollback()
            row = db.session.get(Submission, submission_id)
            if row.status in (SubmissionStatus.GRADED, SubmissionStatus.ERROR):
                print(f"smoke test: submission {row.id} {row.status.value} {row.score}/{row.max_score}"
                      + (f" ({row.error})" if row.error else ""))
                return row.status is SubmissionStatus.GRADED
            time.sleep(0.2)
    print(f"smoke test: submission {submission_id} not graded after {timeout:.0f} s", file=sys.stderr)
    return False


def stop(supervised: dict[str, Supervised]) -> None:
    # SIGTERM to each main process only: Celery then shuts down warm (jobs in hand finish) and
    # gunicorn gracefully; the whole group is killed only if that takes longer than GRACE.
    processes = {name: s.process for name, s in supervised.items()}
    for process in processes.values():
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for name, process in processes.items():
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in {GRACE:.0f} s: killing it", file=sys.stderr)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything the main process left behind in its group
        except ProcessLookupError:
            pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default=os.environ.get("NABLAGRADE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("NABLAGRADE_PORT", "5000")))
    parser.add_argument("--web-concurrency", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")),
                        help="gunicorn workers (default: $WEB_CONCURRENCY, else 2)")
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("GRADING_CONCURRENCY", "2")),
                        help="grading processes (default: $GRADING_CONCURRENCY, else 2)")
    parser.add_argument("--services-concurrency", type=int,
                        default=int(os.environ.get("SERVICES_CONCURRENCY", "2")),
                        help="services worker threads (default: $SERVICES_CONCURRENCY, else 2)")
    parser.add_argument("--check", action="store_true",
                        help="start, wait for a green /healthz, grade the hw1 example as alice, then stop")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    from app.config import instance_path

    instance = instance_path()
    try:
        lock = lock_instance(instance)
    except InstanceInUse as exc:
        print(exc, file=sys.stderr)
        return 2
    if not port_is_free(args.host, args.port):
        print(f"port {args.port} on {args.host} is taken: stop what uses it or run `make demo PORT=5050`",
              file=sys.stderr)
        return 2
    from app.setup import prepare_instance

    for line in [*prepare_instance(instance), *prepare_database()]:
        print(line)

    logs = instance / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if not (os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL")):
        # The embedded demo runs on one machine, where a webhook receiver to try it with is on loopback.
        env.setdefault("NABLAGRADE_WEBHOOK_ALLOW_PRIVATE", "1")
    url = f"http://{args.host}:{args.port}"
    # Links and webhook payloads (result_url) name this demo's address, not the default port.
    env.setdefault("NABLAGRADE_PUBLIC_URL", url)
    processes: dict[str, Supervised] = {}
    # Ctrl-C reaches our whole foreground process group; the children run in their own groups
    # so that they are stopped in order, by us, rather than all at once by the terminal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        for name, command in commands(args.host, args.port, args.web_concurrency, args.concurrency,
                                      args.services_concurrency).items():
            # Every child keeps the lock file open: the instance stays taken while any of them runs.
            processes[name] = Supervised(name, command, logs / f"{name}.log", env, keep_open=(lock.fileno(),))
            processes[name].start()
        record_owner(lock, url, processes)
        health = wait_healthy(f"{url}/healthz", processes, timeout=90)
        if health is None:
            return 1
        from app.services.demo import DEMO_PASSWORD, DEMO_PEOPLE

        print(f"\nnablagrade is up: {url}   (health: {url}/healthz)")
        print(f"logs: {logs}/{{web,grading,services,beat,demo}}.log")
        print(f"log in with any of these (password: {DEMO_PASSWORD}):")
        for email, name, role in DEMO_PEOPLE:
            print(f"  {role.value:10s} {email:24s} {name}")
        print("Ctrl-C stops everything.", flush=True)
        if args.check:
            return 0 if smoke_test() else 1
        stopping = []
        signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
        while not stopping:
            for supervised in processes.values():
                said = supervised.check(time.monotonic())
                if said:
                    say(said, logs)
                    record_owner(lock, url, processes)
            time.sleep(0.2)
        print("\nstopping ...", flush=True)
        return 0
    finally:
        stop(processes)
        lock.close()
        print("stopped.")


if __name__ == "__main__":
    sys.exit(main())
