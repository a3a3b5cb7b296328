"""A class with real results: students' files graded by the engine (in a subprocess; the code is
ours) and stored through the grading service, as a worker would."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.extensions import db
from app.models import Course, Role, Submission, User
from app.services import assignments, grading, people
from app.services.submissions import submit
from graders.engine import grade_source
from graders.runner import SubprocessRunner
from tests.support.servers import CORRECT, WRONG

# sigmoid with its sign flipped; softmax as -s s^T, the catalogued mistake "outer_only".
OUTER_ONLY = WRONG + '''
def softmax_jacobian(x):
    e = np.exp(x - x.max())
    s = e / e.sum()
    return -s @ s.T
'''


def grade_now(submission_id: int) -> Submission:
    claim = grading.claim(submission_id, f"test-{submission_id}", "test-worker")
    assert claim is not None
    loaded = assignments.load_spec(claim.course, claim.assignment)
    assert grading.store_result(claim, grade_source(claim.code, loaded.spec, runner=SubprocessRunner()), loaded.digest)
    db.session.expire_all()
    return db.session.get(Submission, submission_id)


@pytest.fixture
def enrol(course: Course) -> Callable[..., User]:
    def make(email: str, role: Role = Role.STUDENT, name: str | None = None) -> User:
        user, _ = people.get_or_create_user(email, name or email.split("@")[0].replace(".", " ").title(), role, None)
        people.enrol(user, course, role)
        db.session.commit()
        return user

    return make


@pytest.fixture
def hand_in(course: Course) -> Callable[..., Submission]:
    """hand_in(user, source, assignment="t1"): submitted and graded at once."""

    def make(user: User, source: str, assignment: str = "t1") -> Submission:
        return grade_now(submit(user, course.code, assignment, source.encode(), "hw.py").id)

    return make


@pytest.fixture
def classroom(enrol, hand_in) -> dict[str, User]:
    """ada: right at once; bob: outer_only, then right; cy: outer_only only; dee: nothing yet."""
    people_ = {name: enrol(f"{name}@example.edu", name=f"{name.title()} Tester") for name in ("ada", "bob", "cy", "dee")}
    hand_in(people_["ada"], CORRECT)
    hand_in(people_["bob"], OUTER_ONLY)
    hand_in(people_["bob"], CORRECT)
    hand_in(people_["cy"], OUTER_ONLY)
    return people_
