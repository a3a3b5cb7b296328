"""Web load: simulated students in a real browser's footsteps against gunicorn, a real Celery
worker, Redis and PostgreSQL.

    .venv/bin/python -m bench.web_load                        # 200 students, 4 sync gunicorn workers, 1 Celery worker (-c 2)
    .venv/bin/python -m bench.web_load --students 20 --ramp 2 # a quick look

Each student (one thread, its own cookie session) opens the login page, logs in through the
form (CSRF token included), opens the course page and the assignment page, submits a file
through the editor form, follows the redirect to the submission page and then polls the
status fragment as htmx does (HX-Request, If-None-Match, every 2 s, then 5 s, 10 s) until the
fragment is final (286). Students start spread over --ramp seconds.

Reported:
- page times (p50, p95) per page, as the client sees them;
- the cost of a poll: client time per answer kind (304 unchanged, 200 changed, 286 final), the
  number of polls per submission, and the gunicorn CPU time per poll measured in a quiet phase
  afterwards, as a ratio to the CPU time of one assignment page in the same phase (the baseline);
- submit to result: from sending the form to the poll that shows the result (what the student
  sees, quantised by the poll interval), next to the rows' own submitted_at -> graded_at.

It starts a private redis-server, a fresh PostgreSQL database (bench.service.build_stack),
gunicorn and the worker, and removes them afterwards.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import cpu_usage
from bench.service import CELERY, ROOT, build_stack, free_port, migrated_app, percentile, wait_for_workers

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
COURSE = "WEB101"
ASSIGNMENT = "hw1"
PASSWORD = "bench password for every student"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SOURCES = [ROOT / "assignments" / "examples" / "hw1_correct.py", ROOT / "assignments" / "examples" / "hw1_mistakes.py"]


@dataclass
class Timings:
    lock: threading.Lock = field(default_factory=threading.Lock)
    pages: dict[str, list[float]] = field(default_factory=dict)
    polls: dict[int, list[float]] = field(default_factory=dict)  # status code -> seconds
    polls_per_submission: list[int] = field(default_factory=list)
    submit_to_result: list[float] = field(default_factory=list)
    submission_ids: list[int] = field(default_factory=list)
    owners: dict[int, int] = field(default_factory=dict)  # submission id -> student index
    errors: list[str] = field(default_factory=list)

    def page(self, name: str, seconds: float) -> None:
        with self.lock:
            self.pages.setdefault(name, []).append(seconds)

    def poll(self, status: int, seconds: float) -> None:
        with self.lock:
            self.polls.setdefault(status, []).append(seconds)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def timed(session: Any, timings: Timings, name: str, method: str, url: str, **kwargs: Any) -> Any:
    start = time.perf_counter()
    response = session.request(method, url, timeout=300, allow_redirects=False, **kwargs)
    timings.page(name, time.perf_counter() - start)
    if response.status_code >= 400:
        raise RuntimeError(f"{name}: {response.status_code} {response.text[:200]}")
    return response


def poll_interval(waited: float) -> float:
    # The student pages' own back-off (app/student/routes.py poll_interval).
    return 2.0 if waited < 30 else (5.0 if waited < 120 else 10.0)


def one_student(base: str, index: int, source: str, timings: Timings, start_at: float) -> None:
    import requests

    time.sleep(max(0.0, start_at - time.monotonic()))
    session = requests.Session()
    try:
        login = timed(session, timings, "login page", "GET", f"{base}/auth/login")
        timed(session, timings, "log in (POST, argon2)", "POST", f"{base}/auth/login",
              data={"csrf_token": csrf_of(login.text), "email": f"student{index:03d}@bench.example",
                    "password": PASSWORD})
        timed(session, timings, "course page", "GET", f"{base}/student/{COURSE}/")
        page = timed(session, timings, "assignment page", "GET", f"{base}/student/{COURSE}/{ASSIGNMENT}/")
        sent = time.perf_counter()
        answer = timed(session, timings, "submit (POST)", "POST", f"{base}/student/{COURSE}/{ASSIGNMENT}/submit",
                       data={"csrf_token": csrf_of(page.text), "source": source})
        location = urllib.parse.urljoin(base, answer.headers["Location"])
        submission_id = int(location.rstrip("/").rsplit("/", 1)[1])
        timed(session, timings, "submission page", "GET", location)
        etag, polls = None, 0
        while True:
            time.sleep(poll_interval(time.perf_counter() - sent))
            headers = {"HX-Request": "true"}
            if etag:
                headers["If-None-Match"] = etag
            start = time.perf_counter()
            status = session.get(f"{location}/status", headers=headers, timeout=300)
            timings.poll(status.status_code, time.perf_counter() - start)
            polls += 1
            etag = status.headers.get("ETag", etag)
            if status.status_code == 286:
                break
            if status.status_code >= 400:
                raise RuntimeError(f"poll: {status.status_code}")
        with timings.lock:
            timings.submit_to_result.append(time.perf_counter() - sent)
            timings.polls_per_submission.append(polls)
            timings.submission_ids.append(submission_id)
            timings.owners[submission_id] = index
    except Exception as exc:  # noqa: BLE001 - counted and reported; one student's failure is a finding
        with timings.lock:
            timings.errors.append(f"student {index}: {exc}")


def seed(students: int) -> None:
    from app.extensions import db
    from app.models import Role
    from app.services import assignments, courses, passwords, people

    course = courses.get_or_create_course(COURSE, "Web load benchmark")
    assignments.sync(course)
    password_hash = passwords.hash_password(PASSWORD)  # one hash for all: logging in still verifies it each time
    for index in range(students):
        user, _ = people.get_or_create_user(f"student{index:03d}@bench.example", f"Student {index:03d}", Role.STUDENT,
                                            None)
        user.password_hash = password_hash
        people.enrol(user, course, Role.STUDENT)
    db.session.commit()


def gunicorn_cpu(pid: int) -> float:
    """CPU seconds of the gunicorn master's worker processes (the app's own time)."""
    snapshot = cpu_usage.snapshot()
    return sum(p.own + p.reaped for child, p in snapshot.items() if p.ppid == pid)


def quiet_costs(base: str, pid: int, rounds: int, submission_id: int, owner: int) -> dict[str, float]:
    """CPU per request in gunicorn, one request at a time, after the load: the baseline (an
    assignment page) and the polls (304 unchanged, 200 full fragment)."""
    import requests

    session = requests.Session()
    login = session.get(f"{base}/auth/login")
    session.post(f"{base}/auth/login", data={"csrf_token": csrf_of(login.text),
                                             "email": f"student{owner:03d}@bench.example", "password": PASSWORD})
    status_url = f"{base}/student/{COURSE}/submissions/{submission_id}/status"
    etag = session.get(status_url, headers={"HX-Request": "true"}).headers["ETag"]
    kinds = {
        "assignment page": (f"{base}/student/{COURSE}/{ASSIGNMENT}/", {}),
        "poll, unchanged (304)": (status_url, {"HX-Request": "true", "If-None-Match": etag}),
        "poll, final fragment (286)": (status_url, {"HX-Request": "true"}),
    }
    costs: dict[str, float] = {}
    logins = max(5, rounds // 10)  # argon2 verification: slow on purpose, so fewer rounds
    before, wall = gunicorn_cpu(pid), time.perf_counter()
    for _ in range(logins):
        page = session.get(f"{base}/auth/login")
        session.post(f"{base}/auth/login", data={"csrf_token": csrf_of(page.text),
                                                 "email": f"student{owner:03d}@bench.example", "password": PASSWORD})
    costs["login page + log in (POST): CPU ms"] = 1000 * (gunicorn_cpu(pid) - before) / logins
    costs["login page + log in (POST): wall ms"] = 1000 * (time.perf_counter() - wall) / logins
    for name, (url, headers) in kinds.items():
        for _ in range(10):
            session.get(url, headers=headers)  # warm
        before, wall = gunicorn_cpu(pid), time.perf_counter()
        for _ in range(rounds):
            session.get(url, headers=headers)
        costs[f"{name}: CPU ms"] = 1000 * (gunicorn_cpu(pid) - before) / rounds
        costs[f"{name}: wall ms"] = 1000 * (time.perf_counter() - wall) / rounds
    return costs


def summary(values: list[float]) -> dict[str, float]:
    return {"n": len(values), "p50": round(percentile(values, 50), 4), "p95": round(percentile(values, 95), 4)} \
        if values else {"n": 0}


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="ng-web-bench-"))
    stack = build_stack(False, workdir)
    try:
        app = migrated_app(stack)
        from app.extensions import db
        from app.models import Submission

        with app.app_context():
            seed(args.students)
        port = free_port()
        web = stack.start(GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(args.web_workers),
                          "--worker-class", "sync", "--timeout", "120", "--log-level", "warning", "app:create_app()",
                          name="gunicorn")
        stack.start(CELERY, "-A", "worker.celery_app", "worker", "-Q", "grading,maintenance", "-c",
                    str(args.concurrency), "-n", "webbench@%h", "-l", "warning", "--without-gossip",
                    "--without-mingle", name="worker")
        base = f"http://127.0.0.1:{port}"
        import requests

        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/auth/login", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("gunicorn did not answer; see its log in " + str(workdir))
            time.sleep(0.3)
        with app.app_context():
            wait_for_workers(1)

        sources = [path.read_text() for path in SOURCES]
        load_before = os.getloadavg()[0]
        timings = Timings()
        begin = time.monotonic() + 1.0
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.students) as pool:
            futures = [pool.submit(one_student, base, i, sources[i % len(sources)], timings,
                                   begin + args.ramp * i / max(1, args.students)) for i in range(args.students)]
            concurrent.futures.wait(futures)
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()[0]

        with app.app_context():
            rows = db.session.query(Submission.submitted_at, Submission.graded_at).filter(
                Submission.id.in_(timings.submission_ids)).all()
        server_side = [(g - s).total_seconds() for s, g in rows if g is not None]
        first = timings.submission_ids[0] if timings.submission_ids else None
        costs = quiet_costs(base, web.pid, args.rounds, first, timings.owners[first]) if first is not None else {}
        page_cpu = costs.get("assignment page: CPU ms") or float("nan")
        return {
            "students": args.students, "ramp_s": args.ramp, "gunicorn_sync_workers": args.web_workers,
            "celery_concurrency": args.concurrency, "elapsed_s": round(elapsed, 1),
            "load_average_1min_before_after": [round(load_before, 1), round(load_after, 1)], "cpus": os.cpu_count(), "errors": timings.errors[:10],
            "error_count": len(timings.errors),
            "pages": {name: summary(values) for name, values in timings.pages.items()},
            "polls": {str(code): summary(values) for code, values in sorted(timings.polls.items())},
            "polls_per_submission": summary([float(n) for n in timings.polls_per_submission]),
            "submit_to_result_seen_s": summary(timings.submit_to_result),
            "submitted_to_graded_rows_s": summary(server_side),
            "quiet_costs_per_request": {k: round(v, 3) for k, v in costs.items()},
            "poll_cpu_vs_assignment_page": {
                "304": round(costs.get("poll, unchanged (304): CPU ms", float("nan")) / page_cpu, 3),
                "286": round(costs.get("poll, final fragment (286): CPU ms", float("nan")) / page_cpu, 3)},
        }
    finally:
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which the students arrive")
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    parser.add_argument("--rounds", type=int, default=300, help="requests per kind in the quiet cost phase")
    args = parser.parse_args()
    print(json.dumps(run(args), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
