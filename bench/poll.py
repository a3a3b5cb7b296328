"""What a student's live status poll costs the server, against a static file served by the same app.

    .venv/bin/python -m bench.poll                  # 400 requests per kind, gunicorn with 2 sync workers
    .venv/bin/python -m bench.poll --requests 1000

It starts a private redis-server and a fresh PostgreSQL database (bench/service.py's stack),
seeds the demo course, stores one queued submission of alice's and one graded with a real
result document (hw1_mistakes.py, graded in the sandbox), and serves the app with gunicorn's
sync workers. A logged-in client then asks, one request at a time, for each kind below and the
script reports the client's latency and the CPU the gunicorn workers spent per request (from
/proc), each as a ratio to the static file measured in the same run. In-process, through the
test client, it also counts the SQL statements each kind runs.

Kinds: the static file (the baseline: Flask's static route), the queued fragment answered 304
(If-None-Match: what a browser sends while nothing changes), the same fragment rendered (200:
the queue moved), the final fragment with the whole results (rendered once per submission),
and the submission page itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.service import ROOT, build_stack, free_port, migrated_app, percentile

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
MISTAKES = ROOT / "assignments" / "examples" / "hw1_mistakes.py"
TICKS = os.sysconf("SC_CLK_TCK")


def worker_cpu_seconds(master: int) -> float:
    """utime + stime of the gunicorn master's children (its workers), in seconds."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICKS


def seed(app: Any) -> dict[str, int]:
    """alice's queued submission and her graded one, the latter with a real result document."""
    from app.models import User
    from app.services import grading
    from app.services.demo import seed_demo
    from app.services.submissions import submit
    from assignments import load_assignment
    from graders.engine import grade_source

    with app.app_context():
        seed_demo()
        from app.extensions import db

        alice = db.session.scalar(db.select(User).where(User.email == "alice@example.edu"))
        source = MISTAKES.read_text()
        graded = submit(alice, "DEMO", "hw1", source.encode(), "hw1.py")
        claim = grading.claim(graded.id, "bench", "bench")
        assert claim is not None and grading.store_result(claim, grade_source(source, load_assignment("hw1")))
        queued = submit(alice, "DEMO", "hw1", (source + "\n# again\n").encode(), "hw1.py")
        return {"graded": graded.id, "queued": queued.id}


def statements_per_request(app: Any, paths: dict[str, tuple[str, dict[str, str]]]) -> dict[str, int]:
    """SQL statements each kind runs, counted in-process through the test client."""
    from sqlalchemy import event

    from app.extensions import db

    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"csrf_token": token, "email": "alice@example.edu", "password": "nablagrade"})
    counts: dict[str, int] = {}
    with app.app_context():
        engine = db.engine
    seen: list[str] = []

    def count(*_: Any) -> None:
        seen.append("x")

    event.listen(engine, "before_cursor_execute", count)
    try:
        for kind, (path, headers) in paths.items():
            client.get(path, headers=headers)  # warm caches first, as a running server has
            seen.clear()
            client.get(path, headers=headers)
            counts[kind] = len(seen)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return counts


def measure(url: str, master: int, paths: dict[str, tuple[str, dict[str, str]]], requests_per_kind: int) -> dict:
    import requests

    session = requests.Session()
    login = session.get(f"{url}/auth/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    answer = session.post(f"{url}/auth/login", data={"csrf_token": token, "email": "alice@example.edu",
                                                     "password": "nablagrade"})
    assert answer.ok and "/auth/login" not in answer.url, answer.url
    found: dict[str, dict[str, float]] = {}
    for kind, (path, headers) in paths.items():
        for _ in range(20):  # warm-up: imports, caches, the connection pool
            session.get(url + path, headers=headers)
        latencies = []
        status = size = 0
        before = worker_cpu_seconds(master)
        for _ in range(requests_per_kind):
            started = time.perf_counter()
            response = session.get(url + path, headers=headers)
            latencies.append((time.perf_counter() - started) * 1000)
            status, size = response.status_code, len(response.content)
        cpu_ms = (worker_cpu_seconds(master) - before) * 1000 / requests_per_kind
        found[kind] = {"status": status, "bytes": size, "p50_ms": statistics.median(latencies),
                       "p95_ms": percentile(latencies, 95), "cpu_ms": cpu_ms}
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="ng-bench-poll-"))
    stack = build_stack(False, workdir)
    try:
        app = migrated_app(stack)
        ids = seed(app)
        base = "/student/DEMO/submissions"
        paths: dict[str, tuple[str, dict[str, str]]] = {
            "static file (baseline)": ("/static/img/favicon.svg", {}),
            "poll, unchanged (304)": (f"{base}/{ids['queued']}/status", {"HX-Request": "true"}),
            "poll, rendered (200)": (f"{base}/{ids['queued']}/status", {"HX-Request": "true"}),
            "final fragment with results": (f"{base}/{ids['graded']}/status", {"HX-Request": "true"}),
            "submission page": (f"{base}/{ids['graded']}", {}),
        }
        port = free_port()
        web = stack.start(GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                          "app:create_app()", name="gunicorn")
        url = f"http://127.0.0.1:{port}"
        import requests

        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url + "/healthz", timeout=15)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or web.poll() is not None:
                    raise SystemExit("gunicorn did not start; see " + str(workdir / "gunicorn.log")) from None
                time.sleep(0.2)
        session = requests.Session()
        # The ETag a browser holds while the submission waits in the queue.
        login = session.get(f"{url}/auth/login").text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
        session.post(f"{url}/auth/login", data={"csrf_token": token, "email": "alice@example.edu",
                                                 "password": "nablagrade"})
        etag = session.get(url + paths["poll, unchanged (304)"][0]).headers["ETag"]
        paths["poll, unchanged (304)"][1]["If-None-Match"] = etag
        results = measure(url, web.pid, paths, args.requests)
        statements = statements_per_request(app, paths)
        for kind, figures in results.items():
            figures["sql_statements"] = statements[kind]
        return {"workers": args.workers, "requests_per_kind": args.requests, "kinds": results}
    finally:
        stack.stop()


def report(found: dict[str, Any]) -> str:
    kinds = found["kinds"]
    base = kinds["static file (baseline)"]
    lines = [f"gunicorn, {found['workers']} sync workers; {found['requests_per_kind']} requests per kind, one at a time",
             "", "| request | status | bytes | SQL statements | latency p50 / p95 (ms) | x static | worker CPU per request (ms) | x static |",
             "|---|---|---|---|---|---|---|---|"]
    for kind, f in kinds.items():
        lines.append(f"| {kind} | {f['status']} | {f['bytes']} | {f['sql_statements']} | {f['p50_ms']:.2f} / {f['p95_ms']:.2f} "
                     f"| {f['p50_ms'] / base['p50_ms']:.2f} | {f['cpu_ms']:.2f} | {f['cpu_ms'] / base['cpu_ms']:.2f} |")
    poll = kinds["poll, unchanged (304)"]["cpu_ms"]
    lines += ["", f"One core answers about {1000 / poll:.0f} unchanged polls a second: "
                  f"{2000 / poll:.0f} students polling every 2 s, or {10000 / poll:.0f} at the 10 s back-off."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    found = run(args)
    print(json.dumps(found, indent=2) if args.json else report(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
