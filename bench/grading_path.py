"""The service's own cost per graded job, without the engine: what `app.services.grading.grade`
spends around `grade_source` (claim, late terms, result, outbox, commits).

    .venv/bin/python -m bench.grading_path                 # 400 jobs on PostgreSQL + Redis
    .venv/bin/python -m bench.grading_path --jobs 1000 --profile

It uploads `--jobs` distinct hw1 submissions into a fresh database (bench.service's stack),
then grades them in this process as a grading worker's pool process does, with the engine
replaced by one real result document computed beforehand: what remains is the service
layer. It reports, per job, the statements and round trips sent to PostgreSQL, the CPU of
this process and of its PostgreSQL backend, and the wall time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import cpu_usage
from bench.service import CORRECT, Load, build_stack, migrated_app


def backend_cpu(database: str) -> float:
    """CPU seconds of every PostgreSQL backend serving `database` (this run's own database)."""
    return sum(p.own for p in cpu_usage.snapshot().values()
               if p.cmdline.startswith("postgres:") and f" {database} " in p.cmdline)


class Counting:
    """What the engine sends PostgreSQL, by first word: statements, and the BEGIN and COMMIT
    round trips psycopg adds around them (none for a statement run in autocommit)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.kinds: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", lambda conn: self._end(conn, "COMMIT"))
        event.listen(engine, "rollback", lambda conn: self._end(conn, "ROLLBACK"))

    def _statement(self, conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        import psycopg

        if not cursor.connection.autocommit and cursor.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
            self.kinds["BEGIN"] += 1
        self.kinds[statement.split(None, 1)[0].upper()] += 1

    def _end(self, conn: Any, kind: str) -> None:
        import psycopg

        if conn.connection.dbapi_connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.kinds[kind] += 1


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    stack = build_stack(False, workdir)
    try:
        web = migrated_app(stack)
        from app import create_app
        from app.extensions import db
        from app.services import grading
        from app.services.demo import seed_demo

        with web.app_context():
            seed_demo()
            load = Load()
            ids = [load.upload(index) for index in range(args.jobs)]
            db.session.remove()
            db.engine.dispose()
            loaded = grading.assignments.load_spec("DEMO", "hw1")
            document = grading.grade_source(CORRECT.read_text(), loaded.spec, runner=None)

        # The grading worker's app, as worker/celery_app.py makes it.
        worker = create_app({"DATABASE_PRE_PING": False})
        grading.grade_source = lambda code, spec, runner=None: document  # type: ignore[assignment]
        grading.default_runner = lambda: None  # type: ignore[assignment]
        database = stack.env["DATABASE_URL"].rsplit("/", 1)[1]
        with worker.app_context():
            counting = Counting(db.engine)
            warm = ids[: args.warmup]
            for index, submission_id in enumerate(warm):
                grading.grade(submission_id, f"task-{index}", "bench@host")
                db.session.remove()
            counting.kinds.clear()
            timed = ids[args.warmup:]
            profiler = cProfile.Profile() if args.profile else None
            pg_before, cpu_before, wall_before = backend_cpu(database), time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            outcomes: Counter[str] = Counter()
            for index, submission_id in enumerate(timed):
                outcomes[grading.grade(submission_id, f"task-{args.warmup + index}", "bench@host")] += 1
                db.session.remove()  # the Flask-Celery task ends its app context after each job
            if profiler:
                profiler.disable()
            wall, cpu = time.perf_counter() - wall_before, time.process_time() - cpu_before
            pg = backend_cpu(database) - pg_before
        n = len(timed)
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return {"jobs": n, "outcomes": dict(outcomes), "per_job": {k: v / n for k, v in counting.kinds.items()},
                "cpu_ms": cpu * 1000 / n, "pg_ms": pg * 1000 / n, "wall_ms": wall * 1000 / n}
    finally:
        stack.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=400, help="graded jobs timed (default 400)")
    parser.add_argument("--warmup", type=int, default=20, help="jobs graded before the timing (default 20)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the timed jobs")
    args = parser.parse_args(argv)
    args.jobs += args.warmup
    workdir = Path(tempfile.mkdtemp(prefix="ng-grading-path-"))
    try:
        result = run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    per_job = ", ".join(f"{kind} {count:.2f}" for kind, count in sorted(result["per_job"].items()))
    print(f"grading path without the engine: {result['jobs']} jobs {result['outcomes']}")
    print(f"  per job: {per_job}")
    print(f"  CPU per job: this process {result['cpu_ms']:.2f} ms, its PostgreSQL backend {result['pg_ms']:.2f} ms;"
          f" wall {result['wall_ms']:.2f} ms")
    return 0 if result["outcomes"].get("graded") == result["jobs"] else 1


if __name__ == "__main__":
    sys.exit(main())
