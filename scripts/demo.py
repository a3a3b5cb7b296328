"""`make demo`: the whole service on this machine, as separate processes.

    web      gunicorn serving app:create_app() on http://127.0.0.1:5000
    grading  celery worker on the `grading` queue (the sandboxed engine)
    services celery worker on `webhooks` and `maintenance` (the sweeper; webhook delivery to come)
    beat     celery beat (schedules the sweeper)

With no DATABASE_URL / REDIS_URL it needs no server: SQLite and a filesystem broker under
instance/. With them set, the same command runs on PostgreSQL and Redis. Ctrl-C stops
everything (SIGTERM to each process group, SIGKILL after a grace period).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: import the app from this checkout
BIN = Path(sys.executable).parent
GRACE = 15.0


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


def wait_healthy(url: str, processes: dict[str, subprocess.Popen], timeout: float) -> dict | None:
    deadline = time.monotonic() + timeout
    body = None
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with status {process.returncode}; see instance/logs/{name}.log")
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


def stop(processes: dict[str, subprocess.Popen]) -> None:
    # SIGTERM to each main process only: Celery then shuts down warm (jobs in hand finish) and
    # gunicorn gracefully; the whole group is killed only if that takes longer than GRACE.
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
    if not port_is_free(args.host, args.port):
        print(f"port {args.port} on {args.host} is taken: stop what uses it or run `make demo PORT=5050`",
              file=sys.stderr)
        return 2
    from app.config import instance_path
    from app.setup import prepare_instance

    for line in [*prepare_instance(), *prepare_database()]:
        print(line)

    logs = instance_path() / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    processes: dict[str, subprocess.Popen] = {}
    # Ctrl-C reaches our whole foreground process group; the children run in their own groups
    # so that they are stopped in order, by us, rather than all at once by the terminal.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        for name, command in commands(args.host, args.port, args.web_concurrency, args.concurrency,
                                          args.services_concurrency).items():
            log = (logs / f"{name}.log").open("ab")
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                               start_new_session=True)
            log.close()
        url = f"http://{args.host}:{args.port}"
        health = wait_healthy(f"{url}/healthz", processes, timeout=90)
        if health is None:
            return 1
        from app.services.demo import DEMO_PASSWORD, DEMO_PEOPLE

        print(f"\nnablagrade is up: {url}   (health: {url}/healthz)")
        print(f"logs: {logs}/{{web,grading,services,beat}}.log")
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
            for name, process in processes.items():
                if process.poll() is not None:
                    print(f"{name} exited with status {process.returncode}; stopping the rest", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        print("\nstopping ...", flush=True)
        return 0
    finally:
        stop(processes)
        print("stopped.")


if __name__ == "__main__":
    sys.exit(main())
