"""Waiting on the database from the test process while real workers grade."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Submission, SubmissionStatus, WorkerHeartbeat
from tests.support.servers import wait_for

DONE = (SubmissionStatus.GRADED, SubmissionStatus.ERROR)


def rows(ids: list[int]) -> list[Submission]:
    db.session.rollback()  # a fresh snapshot: the workers write from other processes
    db.session.expire_all()
    return list(db.session.scalars(select(Submission).where(Submission.id.in_(ids)).order_by(Submission.id)))


def wait_until_done(ids: list[int], timeout: float) -> list[Submission]:
    wait_for(lambda: all(s.status in DONE for s in rows(ids)), timeout, f"submissions {ids} to be graded",
             interval=0.1)
    return rows(ids)


def wait_for_worker(name: str, timeout: float = 60) -> None:
    def alive() -> bool:
        db.session.rollback()
        return bool(db.session.scalar(select(WorkerHeartbeat).where(WorkerHeartbeat.instance.startswith(f"{name}@"))))

    wait_for(alive, timeout, f"worker {name} to heart-beat", interval=0.1)
