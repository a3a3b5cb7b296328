"""Staff pages at class sizes: the dashboard, the students table and the streamed exports of a
course of 200 and of 2,000 students, in one run on one PostgreSQL database.

    .venv/bin/python -m bench.staff_pages                  # 200 and 2,000 students, 2 graded attempts each
    .venv/bin/python -m bench.staff_pages --sizes 100 1000 --attempts 3

Every student gets `--attempts` graded submissions carrying a real result document (hw1 graded
once by the engine, in a subprocess, and stored for every row). Pages are requested through the
Flask test client as a logged-in TA (time, best of 3; the dashboard's first view separately, as
later views come from its cache until a submission changes). The exports are read chunk by chunk while
tracemalloc records the peak of Python memory allocated meanwhile: if the export streams, the peak
stays flat from the small course to the large one while the bytes sent grow tenfold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import secrets
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from bench.service import ROOT, build_stack, migrated_app

SOURCE = ROOT / "assignments" / "examples" / "hw1_mistakes.py"


def result_document() -> dict[str, Any]:
    import assignments
    from graders.engine import grade_source
    from graders.runner import SubprocessRunner

    return grade_source(SOURCE.read_text(), assignments.load_assignment("hw1"), runner=SubprocessRunner())


def seed(code: str, students: int, attempts: int, document: dict[str, Any]) -> tuple[str, int]:
    from sqlalchemy import insert

    from app.extensions import db
    from app.models import Enrolment, Role, Submission, SubmissionStatus, User
    from app.services import assignments, courses, people

    course = courses.get_or_create_course(code, f"{students} students")
    assignments.sync(course)
    assignment = assignments.get_assignment(code, "hw1")
    ta, _ = people.get_or_create_user(f"ta@{code.lower()}.example", "A TA", Role.TA, None)
    people.enrol(ta, course, Role.TA)
    db.session.commit()
    now = dt.datetime.now(dt.UTC)
    source = SOURCE.read_text()
    digest = hashlib.sha256(source.encode()).hexdigest()
    for start in range(0, students, 500):
        ids = db.session.execute(insert(User).returning(User.id), [
            {"email": f"s{i:05d}@{code.lower()}.example", "name": f"Student {i:05d}", "role": Role.STUDENT,
             "active": True, "created_at": now, "session_generation": 0}
            for i in range(start, min(students, start + 500))]).scalars().all()
        db.session.execute(insert(Enrolment), [{"course_id": course.id, "user_id": i, "role": Role.STUDENT,
                                                "created_at": now} for i in ids])
        db.session.execute(insert(Submission), [
            {"assignment_id": assignment.id, "user_id": i, "attempt": a, "filename": "hw1.py", "code": source,
             "sha256": digest, "late_days": 0, "status": SubmissionStatus.GRADED, "submitted_at": now,
             "enqueued_at": now, "started_at": now, "graded_at": now, "updated_at": now,
             "score": document["score"], "raw_score": document["score"], "max_score": document["max_score"],
             "result": document, "engine_version": str(document.get("engine_version")), "grade_count": 1}
            for i in ids for a in range(1, attempts + 1)])
        db.session.commit()
    return ta.get_id(), assignment.id


def log_in(client: Any, user_id: str) -> None:
    with client.session_transaction() as session:
        session["csrf_token"] = secrets.token_hex(20)
        session["_user_id"] = user_id
        session["_fresh"] = True


def best_of(runs: int, action: Any) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def touch_one(app: Any, assignment_id: int) -> None:
    from sqlalchemy import select, update

    from app.extensions import db
    from app.models import Submission, utcnow

    with app.app_context():
        first = db.session.scalar(select(Submission.id).where(Submission.assignment_id == assignment_id).limit(1))
        db.session.execute(update(Submission).where(Submission.id == first).values(updated_at=utcnow()))
        db.session.commit()


def measure(app: Any, ta: str, assignment_id: int, code: str) -> dict[str, Any]:
    client = app.test_client()
    log_in(client, ta)
    base = f"/staff/{code}/assignments/{assignment_id}"

    def page(path: str) -> None:
        with app.app_context():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

    figures: dict[str, Any] = {
        # The first view reads every result document; later ones, with nothing changed, the cache.
        "dashboard_first_view_s": round(best_of(1, lambda: page(base + "/")), 3),
        "dashboard_cached_s": round(best_of(3, lambda: page(base + "/")), 3),
        # One submission changes (as a regrade or an override would): only its document is read again.
        "dashboard_after_one_change_s": round(best_of(1, lambda: (touch_one(app, assignment_id), page(base + "/"))), 3),
        "students_table_s": round(best_of(3, lambda: page(base + "/students?sort=score&dir=desc")), 3),
    }
    for name, path in [("gradebook_csv", base + "/gradebook.csv?layout=generic"), ("checks_csv", base + "/checks.csv")]:
        def read(path: str = path) -> tuple[int, int]:
            with app.app_context():
                response = client.get(path)
                sent = chunks = 0
                for chunk in response.response:
                    sent += len(chunk)
                    chunks += 1
                response.close()
            return sent, chunks

        elapsed = best_of(2, read)  # timed without tracemalloc, which slows allocation several times
        tracemalloc.start()
        sent, chunks = read()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        figures[name] = {"s": round(elapsed, 3), "mb_sent": round(sent / 1e6, 2), "chunks": chunks,
                         "peak_python_mb": round(peak / 1e6, 1)}
    return figures


def run(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="ng-staff-bench-"))
    stack = build_stack(False, workdir)
    try:
        app = migrated_app(stack)
        document = result_document()
        out: dict[str, Any] = {"attempts_per_student": args.attempts,
                               "result_document_kb": round(len(json.dumps(document)) / 1024, 1)}
        with app.app_context():
            seeded = {size: seed(f"S{size}", size, args.attempts, document) for size in args.sizes}
        for size, (ta, assignment) in seeded.items():
            out[f"{size} students"] = measure(app, ta, assignment, f"S{size}")
        return out
    finally:
        stack.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--attempts", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(run(args), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
