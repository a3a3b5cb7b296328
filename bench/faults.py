"""The burst again, with the service broken on purpose while it runs (`bench.service --faults`).

While the submissions arrive and are graded, a timeline of faults plays out against the real
processes:

- a whole worker is SIGKILLed (main process, pool process and sandboxes: a crashed machine)
  in the middle of its jobs, and started again a little later;
- Redis is SIGKILLed while a worker surely holds a claimed, unacknowledged job (its whole group
  is frozen with SIGSTOP until the database shows its claim, and woken while Redis is still down),
  then started again empty (it keeps nothing on disk here): every queued message and every
  unacknowledged delivery is gone, and uploads meanwhile cannot publish;
- one pool process of the other worker is SIGKILLed mid-job (Celery forks a new one).

Recovery is the product's own: acks_late + reject_on_worker_lost, the database heartbeat,
and the sweeper run by a real `celery beat`, with thresholds shortened so the run stays short.
The verdict is the one that matters: every submission graded, each exactly once, and no worker,
services worker or beat process exited on its own.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Recovery thresholds for the run (the production defaults are in app/config.py).
QUICK_RECOVERY = {
    "NABLAGRADE_SWEEP_INTERVAL": "2",
    "NABLAGRADE_QUEUED_GRACE": "5",
    "NABLAGRADE_WORKER_HEARTBEAT": "1",
    "NABLAGRADE_WORKER_STALE": "5",
}


def claimed_job(database_url: str, worker_name: str) -> int | None:
    """A submission that `worker_name` has claimed and not finished (its message is unacknowledged)."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=3) as conn:
        row = conn.execute("SELECT id FROM submissions WHERE status::text IN ('running', 'RUNNING') AND worker LIKE %s"
                           " ORDER BY id LIMIT 1", (worker_name + "@%",)).fetchone()
    return row[0] if row else None


def kill_redis_under_a_held_job(stack: Any, worker: str) -> str:
    """Freeze `worker` while it holds a claimed job, SIGKILL Redis, and wake the worker while Redis
    is still down: the moment Celery 5.7.0 died on (constraints.txt)."""
    group = stack.running[worker].pid
    held = None
    deadline = time.monotonic() + 10
    while True:
        os.killpg(group, signal.SIGSTOP)
        held = claimed_job(stack.env["DATABASE_URL"], stack.names[worker])
        if held is not None or time.monotonic() > deadline:
            break
        os.killpg(group, signal.SIGCONT)
        time.sleep(0.05)
    try:
        stack.kill("redis")
    finally:
        os.killpg(group, signal.SIGCONT)
    if held is None:
        return f"Redis killed; {worker} held no claimed job within 10 s"
    return f"Redis killed while {worker} held submission {held} (frozen, woken with Redis still down)"


def kill_a_pool_process(stack: Any, worker: str) -> str:
    child = pool_process(stack.running[worker].pid)
    if child is None:
        return f"{worker} has no pool process to kill"
    os.kill(child, signal.SIGKILL)
    return f"SIGKILL a pool process of {worker} (pid {child}) mid-job"


# (seconds after the first upload, what is done to the stack, what the report says)
FAULTS: list[tuple[float, Callable[[Any], str | None], str]] = [
    (1.5, lambda stack: stack.kill("worker0"), "SIGKILL worker0 (main process, pool process and sandboxes)"),
    (4.0, lambda stack: stack.restart("worker0"), "worker0 started again"),
    (5.0, lambda stack: kill_redis_under_a_held_job(stack, "worker1"), ""),
    (7.0, lambda stack: stack.restart("redis"), "Redis started again, empty"),
    (9.0, lambda stack: kill_a_pool_process(stack, "worker1"), ""),
]


class Timeline(threading.Thread):
    """Plays FAULTS at their offsets from the start of the burst, and logs when each happened."""

    def __init__(self, stack: Any) -> None:
        super().__init__(name="faults", daemon=True)
        self.stack = stack
        self.started = time.monotonic()
        self.events: list[str] = []

    def run(self) -> None:
        for offset, action, description in FAULTS:
            time.sleep(max(0.0, self.started + offset - time.monotonic()))
            said = action(self.stack)
            self.events.append(f"{time.monotonic() - self.started:5.1f} s  {said or description}")


def pool_process(main_pid: int) -> int | None:
    """A pool (child) process of a Celery worker's main process."""
    children = Path(f"/proc/{main_pid}/task/{main_pid}/children")
    try:
        pids = [int(pid) for pid in children.read_text().split()]
    except OSError:
        return None
    return pids[0] if pids else None


class CountingHandler(logging.Handler):
    """Counts the uploads whose job could not be published (Redis down) instead of printing each."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def exited_on_their_own(stack: Any) -> list[str]:
    """The services (workers, beat) that are not running at the end, or logged a fatal error:
    the timeline kills and restarts some on purpose, so only the current process of each counts."""
    exited = []
    for name, process in stack.running.items():
        log = stack.workdir / f"{name}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        if process.poll() is not None or "Unrecoverable error" in text:
            exited.append(name)
    return exited


SWEEP_LINE = re.compile(r"sweeper: re-sent (\d+) queued, rescued (\d+) running")


def sweeper_work(logs: list[Path]) -> tuple[int, int]:
    """Jobs the sweeper re-sent (lost messages) and rescued (dead workers), from the worker logs."""
    resent = rescued = 0
    for log in logs:
        for match in SWEEP_LINE.finditer(log.read_text(errors="replace") if log.exists() else ""):
            resent, rescued = resent + int(match[1]), rescued + int(match[2])
    return resent, rescued


def measure_under_faults(stack: Any, args: Any, load: Any) -> dict[str, Any]:
    from app.models import SubmissionStatus

    unpublished = CountingHandler()
    jobs_log = logging.getLogger("app.services.jobs")
    jobs_log.addHandler(unpublished)
    jobs_log.propagate = False
    timeline = Timeline(stack)
    timeline.start()
    refused = 0
    ids: list[int] = []
    try:
        for index in range(args.burst):
            try:
                ids.append(load.upload(index))
            except Exception:  # noqa: BLE001 - an upload the service refused is reported, not retried
                refused += 1
            # Spread the uploads over the fault timeline rather than finishing before the first fault.
            time.sleep(max(0.0, timeline.started + index * args.fault_spacing - time.monotonic()))
        timeline.join()
    finally:
        jobs_log.removeHandler(unpublished)
        jobs_log.propagate = True
    rows = load.poll(ids, args.timeout, interval=0.5)
    counts = load.grade_counts(ids, settle=5.0)  # a late duplicate would be a restored message
    graded = [r for r in rows if r.status is SubmissionStatus.GRADED]
    resent, rescued = sweeper_work(sorted(stack.workdir.glob("*.log")))
    exited = exited_on_their_own(stack)
    return {
        "faults": timeline.events,
        "unpublished": unpublished.count,
        "resent": resent,
        "rescued": rescued,
        "burst": args.burst,
        "accepted": len(ids),
        "refused": refused,
        "graded": len(graded),
        "errors": sum(r.status is SubmissionStatus.ERROR for r in rows),
        "exactly_once": refused == 0 and len(counts) == args.burst and all(c == 1 for c in counts),
        "exited": exited,
        "graded_twice": sum(c > 1 for c in counts),
        "never_graded": sum(c == 0 for c in counts),
        "last_graded_after": (max(r.graded_at for r in graded) - min(r.submitted_at for r in rows)).total_seconds()
        if graded else float("nan"),
        "correct_scores": sorted({r.score for r in graded if r.code.startswith(load.sources[0].decode().rstrip())}),
        "mistakes_scores": sorted({r.score for r in graded if r.code.startswith(load.sources[1].decode().rstrip())}),
    }
