"""Which graded submission counts, under each score policy, through counted() and standings()."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, ScorePolicy, Submission, SubmissionStatus
from app.services import assignments, results
from app.services.submissions import submit
from tests.support.servers import CORRECT


def attempts(student, scores: list[float | None]) -> list[Submission]:
    """One submission per entry: graded with that score, or failed (None)."""
    made = []
    for index, score in enumerate(scores):
        submission = submit(student, "T101", "t1", (CORRECT + f"\n# attempt {index}\n").encode(), "a.py")
        if score is None:
            submission.status = SubmissionStatus.ERROR
        else:
            submission.status, submission.score, submission.max_score = SubmissionStatus.GRADED, score, 25.0
        made.append(submission)
    db.session.commit()
    return made


def t1() -> Assignment:
    return db.session.scalar(select(Assignment).where(Assignment.name == "t1"))


@pytest.mark.parametrize(("policy", "scores", "counts"), [
    (ScorePolicy.LATEST, [25.0, 10.0], 1),  # the latest, even if lower
    (ScorePolicy.BEST, [25.0, 10.0], 0),
    (ScorePolicy.BEST, [10.0, 25.0, 25.0, None], 2),  # a tie: the later; a failure never counts
    (ScorePolicy.LATEST, [10.0, None], 0),
    (ScorePolicy.BEST, [0.0, None], 0),
])
def test_counted_follows_the_policy(student, policy, scores, counts):
    made = attempts(student, scores)
    assert results.counted(made, policy) is made[counts]


def test_nothing_graded_counts_nothing(student):
    made = attempts(student, [None])
    made.append(submit(student, "T101", "t1", b"def sigmoid_grad(x):\n    return x\n", "b.py"))  # queued
    for policy in ScorePolicy:
        assert results.counted(made, policy) is None


def test_standings_use_the_assignment_policy(student):
    attempts(student, [22.0, 5.0])
    assignment = t1()
    assert assignment.score_policy is ScorePolicy.LATEST
    assert results.standings(assignment, student)[0].final == 5.0
    assignment.score_policy = ScorePolicy.BEST
    db.session.commit()
    (standing,) = results.standings(assignment)
    assert (standing.final, standing.counted.attempt, standing.attempts) == (22.0, 1, 2)
    assert results.changed_since(assignment)[0].final == 22.0


def test_the_policy_is_synced_from_the_assignment_file(course, assignments_dir):
    path = assignments_dir / "t1.toml"
    original = path.read_text()
    try:
        path.write_text('score_policy = "best"\n' + original)
        assert {o.name: o.action for o in assignments.sync(course)}["t1"] == "updated"
        assert t1().score_policy is ScorePolicy.BEST
    finally:
        path.write_text(original)
        assignments.sync(course)
    assert t1().score_policy is ScorePolicy.LATEST
