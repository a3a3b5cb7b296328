"""Load the API and its webhooks as LMS integrations would: a burst of API submissions from
many integrations at once, each with its own course, token and webhook endpoint, to a real
receiver on 127.0.0.1 that verifies every signature with `standardwebhooks`.

    .venv/bin/python -m bench.webhooks                          # 500 submissions from 50 integrations
    .venv/bin/python -m bench.webhooks --burst 100 --integrations 10

It starts a private redis-server, a fresh PostgreSQL database on $BENCH_PG, gunicorn, a grading
worker, the services worker (webhooks) and beat, and removes them afterwards. It reports:
- POST -> verified submission.graded at the receiver, p50 and p95 (the integrations' view);
- graded -> delivered (the rows' graded_at to the receiver's clock): what the webhooks add;
- webhook delivery throughput against the grading throughput of the same run (the baseline);
- that every submission's score arrived exactly once, verified, and matches GET /submissions
  and GET /assignments/{id}/scores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.service import CELERY, CORRECT, MISTAKES, build_stack, free_port, migrated_app, percentile

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
STUDENTS_PER_INTEGRATION = 5


class Receiver:
    """One HTTP server for every integration: /hooks/<n> verifies with integration n's secret and
    records the first arrival of each webhook-id (an integrator's dedup)."""

    def __init__(self) -> None:
        from standardwebhooks.webhooks import Webhook

        self.webhook = Webhook
        self.secrets: dict[str, Any] = {}
        self.first: dict[str, tuple[float, dict[str, Any]]] = {}  # webhook-id -> (arrival, payload)
        self.requests = 0
        self.duplicates = 0
        self.unverified = 0
        self.lock = threading.Lock()
        self.port = free_port()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                arrived = time.time()
                verifier = receiver.secrets.get(self.path)
                try:
                    payload = verifier.verify(body, {k.lower(): v for k, v in self.headers.items()})
                    status = 204
                except Exception:  # noqa: BLE001 - any verification failure is a 400
                    payload, status = None, 400
                with receiver.lock:
                    receiver.requests += 1
                    if payload is None:
                        receiver.unverified += 1
                    elif self.headers["webhook-id"] in receiver.first:
                        receiver.duplicates += 1
                    else:
                        receiver.first[self.headers["webhook-id"]] = (arrived, payload)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add(self, index: int, secret: str) -> str:
        path = f"/hooks/{index}"
        self.secrets[path] = self.webhook(secret)
        return f"http://127.0.0.1:{self.port}{path}"

    def graded(self) -> dict[int, tuple[float, dict[str, Any]]]:
        """submission id -> (arrival, payload) of its submission.graded webhook."""
        with self.lock:
            return {p["data"]["submission_id"]: (t, p) for t, p in self.first.values()
                    if p["type"] == "submission.graded"}


def call(method: str, url: str, token: str, body: Any = None) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", **({"Content-Type": "application/json"} if data else {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.loads(error.read() or b"null")


def wait_until(condition: Any, timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(interval)


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    stack = build_stack(False, workdir)
    stack.env.update({"NABLAGRADE_WEBHOOK_ALLOW_PRIVATE": "1", "NABLAGRADE_API_RATE_LIMIT": "1000000 per minute",
                      "NABLAGRADE_API_SUBMIT_RATE_LIMIT": "1000000 per minute", "NABLAGRADE_SWEEP_INTERVAL": "5"})
    receiver = Receiver()
    try:
        app = migrated_app(stack)
        from app.extensions import db
        from app.services import assignments, courses, tokens

        integrations = []
        with app.app_context():
            for index in range(args.integrations):
                course = courses.get_or_create_course(f"LMS{index:03d}", f"Integration {index}")
                assignments.sync(course)
                db.session.commit()
                # Created as `flask tokens create` would; the endpoint is registered through the API below.
                _, secret = tokens.create(course.code, f"lms-{index}", list(tokens.SCOPES))
                integrations.append({"index": index, "token": secret})
            db.session.execute(db.text("UPDATE assignments SET max_submissions_per_day = NULL"))
            db.session.commit()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        stack.start(GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", str(args.web_workers), "--worker-class",
                    "gthread", "--threads", "8", "app:create_app()", name="web")
        stack.start(CELERY, "-A", "worker.celery_app", "worker", "-Q", "grading", "-c", str(args.concurrency),
                    "-n", "grading@%h", "-l", "warning", "--without-gossip", "--without-mingle", name="grading")
        stack.start(CELERY, "-A", "worker.celery_app", "worker", "-Q", "webhooks,maintenance", "-P", "threads", "-c",
                    str(args.delivery_threads), "-n", "services@%h", "-l", "warning", "--without-gossip",
                    "--without-mingle", name="services")
        stack.start(CELERY, "-A", "worker.celery_app", "beat", "-l", "warning", "-s", str(workdir / "beat"),
                    name="beat")

        def answers() -> bool:
            try:
                urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=2).close()
                return True
            except OSError:
                return False

        wait_until(answers, 60, "gunicorn")
        with app.app_context():
            from bench.service import wait_for_workers

            wait_for_workers(2)

        # Each integration registers its endpoint and finds hw1, through the API.
        for integration in integrations:
            url = receiver.add(integration["index"], "whsec_placeholder")
            status, made = call("POST", f"{base}/api/v1/webhook-endpoints", integration["token"],
                                {"url": url, "events": ["submission.graded"]})
            assert status == 201, made
            receiver.add(integration["index"], made["secret"])
            status, listing = call("GET", f"{base}/api/v1/assignments", integration["token"])
            integration["hw1"] = next(a["id"] for a in listing["data"] if a["name"] == "hw1")

        per = args.burst // args.integrations
        sources = [CORRECT.read_text(), MISTAKES.read_text()]
        posted: dict[int, dict[str, Any]] = {}
        lock = threading.Lock()

        def integration_burst(integration: dict[str, Any]) -> None:
            for n in range(per):
                student = f"student-{n % STUDENTS_PER_INTEGRATION}"
                source = sources[(n // STUDENTS_PER_INTEGRATION + n) % 2]
                started = time.time()
                status, body = call("POST", f"{base}/api/v1/assignments/{integration['hw1']}/submissions",
                                    integration["token"], {"code": source, "external_user_id": student})
                assert status == 202, body
                with lock:
                    posted[body["id"]] = {"at": started, "integration": integration, "student": student,
                                          "attempt": body["attempt"]}

        print(f"  burst: {per * args.integrations} POSTs from {args.integrations} integrations at once ...",
              flush=True)
        burst_started = time.time()
        with ThreadPoolExecutor(args.integrations) as pool:
            list(pool.map(integration_burst, integrations))
        post_seconds = time.time() - burst_started
        wait_until(lambda: len(receiver.graded()) >= len(posted), args.timeout, "every submission.graded webhook",
                   interval=0.5)
        time.sleep(args.settle)  # duplicates, if any, would land now

        graded = receiver.graded()
        with app.app_context():
            from sqlalchemy import select

            from app.models import Submission

            db.session.rollback()
            rows = {s.id: s for s in db.session.scalars(select(Submission).where(Submission.id.in_(list(posted))))}
        latencies = [(graded[i][0] - posted[i]["at"]) * 1000 for i in posted]
        after_graded = [(graded[i][0] - rows[i].graded_at.timestamp()) * 1000 for i in posted]
        arrivals = sorted(t for t, _ in graded.values())
        graded_times = sorted(r.graded_at.timestamp() for r in rows.values())
        delivery_rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0
        grading_rate = (len(graded_times) - 1) / (graded_times[-1] - graded_times[0]) if len(graded_times) > 1 else 0.0

        # Every score: the webhook's, the submission's and, for each student's latest, /scores.
        mismatches = []
        for submission_id, info in posted.items():
            status, body = call("GET", f"{base}/api/v1/submissions/{submission_id}", info["integration"]["token"])
            if graded[submission_id][1]["data"]["score_given"] != body["score"]:
                mismatches.append(("submission", submission_id))
        checked = 0
        for integration in integrations:
            status, scores = call("GET", f"{base}/api/v1/assignments/{integration['hw1']}/scores?limit=200",
                                  integration["token"])
            latest: dict[str, tuple[int, int]] = {}
            for submission_id, info in posted.items():
                if info["integration"] is integration:
                    if info["student"] not in latest or info["attempt"] > latest[info["student"]][0]:
                        latest[info["student"]] = (info["attempt"], submission_id)
            for row in scores["data"]:
                attempt, submission_id = latest[row["external_user_id"]]
                checked += 1
                webhook = graded[submission_id][1]["data"]
                if (row["submission_id"], row["score_given"]) != (submission_id, webhook["score_given"]):
                    mismatches.append(("scores", row["external_user_id"]))
        return {
            "posted": len(posted), "post_seconds": post_seconds, "webhooks": len(graded),
            "requests": receiver.requests, "duplicates": receiver.duplicates, "unverified": receiver.unverified,
            "p50": statistics.median(latencies), "p95": percentile(latencies, 95),
            "after_graded_p50": statistics.median(after_graded), "after_graded_p95": percentile(after_graded, 95),
            "delivery_rate": delivery_rate, "grading_rate": grading_rate, "mismatches": mismatches,
            "scores_checked": checked, "errors": sum(r.status.value == "error" for r in rows.values()),
        }
    finally:
        receiver.server.shutdown()
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=500, help="API submissions in the burst (default 500)")
    parser.add_argument("--integrations", type=int, default=50, help="integrations posting at once (default 50)")
    parser.add_argument("--concurrency", type=int, default=2, help="grading pool processes (default 2)")
    parser.add_argument("--delivery-threads", type=int, default=4, help="services worker threads (default 4)")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn processes (default 2)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait for duplicates at the end")
    args = parser.parse_args(argv)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    workdir = Path(tempfile.mkdtemp(prefix="ng-bench-webhooks-"))
    try:
        result = run(args, workdir)
    finally:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    exact = (result["webhooks"] == result["posted"] and result["duplicates"] == 0 and result["unverified"] == 0
             and not result["mismatches"])
    print(f"  {result['posted']} submissions POSTed in {result['post_seconds']:.1f} s "
          f"({result['posted'] / result['post_seconds']:.0f}/s); grading errors {result['errors']}")
    print(f"  POST -> verified submission.graded   p50 {result['p50']:.0f} ms  p95 {result['p95']:.0f} ms")
    print(f"  graded -> delivered (webhook only)   p50 {result['after_graded_p50']:.0f} ms"
          f"  p95 {result['after_graded_p95']:.0f} ms")
    ratio = result["delivery_rate"] / result["grading_rate"] if result["grading_rate"] else 0.0
    print(f"  delivery throughput {result['delivery_rate']:.1f} webhooks/s = {ratio:.0%} of the grading throughput "
          f"of the same run ({result['grading_rate']:.1f} submissions/s)")
    print(f"  webhooks {result['webhooks']}/{result['posted']}, requests {result['requests']}, duplicates "
          f"{result['duplicates']}, unverified {result['unverified']}; scores matched GET /submissions for every "
          f"submission and /scores for {result['scores_checked']} students; mismatches {len(result['mismatches'])}:"
          f" exactly once and matching {'YES' if exact else 'NO'}")
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
