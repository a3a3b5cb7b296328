"""Who may see what: a user's role in each course, and objects looked up only inside a course.

Roles belong to enrolments, so one person can be a TA in one course and a student in another.
Every lookup of an object named by a URL goes through a Membership: an object of another
course, or another student's work, is "not found" (NotFound), exactly like an id that does not
exist, so ids never reveal what exists elsewhere. A member whose role is too low for an action
gets Forbidden instead, with a message saying who may do it; students are never told that a
staff page exists (NotFound for them as well).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Assignment, Course, Enrolment, Role, Submission, User
from app.services.errors import NotFound, ServiceError

STUDENT = frozenset({Role.STUDENT})
STAFF = frozenset({Role.TA, Role.INSTRUCTOR})
INSTRUCTOR = frozenset({Role.INSTRUCTOR})
MEMBERS = frozenset(Role)
RANK = {Role.STUDENT: 0, Role.TA: 1, Role.INSTRUCTOR: 2}
ROLE_NAMES = {Role.STUDENT: "student", Role.TA: "TA", Role.INSTRUCTOR: "instructor"}
A_ROLE = {Role.STUDENT: "a student", Role.TA: "a TA", Role.INSTRUCTOR: "an instructor"}


class Forbidden(ServiceError):
    """A member of the course whose role does not allow this; the message says who may."""


@dataclass(frozen=True)
class Membership:
    """A user in a course, with their role there: the key to everything inside the course."""

    course: Course
    user: User
    role: Role

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF

    @property
    def is_instructor(self) -> bool:
        return self.role is Role.INSTRUCTOR


def memberships(user: User) -> list[Membership]:
    """Every course the user is enrolled in, with their role, in course-code order."""
    rows = db.session.execute(select(Enrolment, Course).join(Course, Enrolment.course_id == Course.id)
                              .where(Enrolment.user_id == user.id).order_by(Course.code))
    return [Membership(course, user, enrolment.role) for enrolment, course in rows]


def membership(user: User, course_code: str, roles: Collection[Role] = MEMBERS) -> Membership:
    """The user's membership of the course, if their role there is one of `roles`.

    NotFound when there is no such course or the user is not in it (the same answer), and for a
    student asking for a staff-only part; Forbidden for staff whose role is not enough."""
    row = db.session.execute(select(Enrolment, Course).join(Course, Enrolment.course_id == Course.id)
                             .where(Course.code == course_code, Enrolment.user_id == user.id)).first()
    if row is None:
        raise NotFound(f"no course {course_code!r}")
    enrolment, course = row
    if enrolment.role not in roles:
        if enrolment.role is Role.STUDENT:
            raise NotFound(f"no such page in {course.code}")
        allowed = " or ".join(ROLE_NAMES[r] + "s" for r in sorted(roles, key=RANK.__getitem__))
        raise Forbidden(f"Only {allowed} of {course.code} can do this; you are {A_ROLE[enrolment.role]} here.")
    return Membership(course, user, enrolment.role)


def role_in(user: User, course: Course) -> Role | None:
    return db.session.scalar(select(Enrolment.role).where(Enrolment.course_id == course.id,
                                                          Enrolment.user_id == user.id))


def course_assignments(member: Membership) -> list[Assignment]:
    """The assignments of the member's course, soonest due first (those without a date last)."""
    rows = db.session.scalars(select(Assignment).where(Assignment.course_id == member.course.id)
                              .order_by(Assignment.due.is_(None), Assignment.due, Assignment.name))
    return list(rows)


def assignment_in(member: Membership, assignment_id: int) -> Assignment:
    """An assignment of the member's course (NotFound for any other id)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.course_id != member.course.id:
        raise NotFound(f"no assignment {assignment_id} in {member.course.code}")
    return assignment


def assignment_named(member: Membership, name: str) -> Assignment:
    assignment = db.session.scalar(select(Assignment).where(Assignment.course_id == member.course.id,
                                                            Assignment.name == name))
    if assignment is None:
        raise NotFound(f"no assignment {name!r} in {member.course.code}")
    return assignment


def submission_for(member: Membership, submission_id: int) -> Submission:
    """A submission the member may see: staff see those of their course, a student only their own."""
    # The assignment comes in the same query: the course check needs it, and a polled status
    # fragment asks this a few times a second across a class.
    submission = db.session.get(Submission, submission_id, options=(joinedload(Submission.assignment),))
    if (submission is None or submission.assignment.course_id != member.course.id
            or (not member.is_staff and submission.user_id != member.user.id)):
        raise NotFound(f"no submission {submission_id} in {member.course.code}")
    return submission


def student_in(member: Membership, user_id: int) -> User:
    """A student of the member's course, for staff (NotFound for anyone else, and for students)."""
    if not member.is_staff:
        raise NotFound(f"no student {user_id} in {member.course.code}")
    user = db.session.get(User, user_id)
    if user is None or role_in(user, member.course) is not Role.STUDENT:
        raise NotFound(f"no student {user_id} in {member.course.code}")
    return user


def person_in(member: Membership, user_id: int) -> tuple[User, Role]:
    """Anyone enrolled in the member's course with their role there, for staff."""
    user = db.session.get(User, user_id) if member.is_staff else None
    role = role_in(user, member.course) if user is not None else None
    if user is None or role is None:
        raise NotFound(f"no person {user_id} in {member.course.code}")
    return user, role


def refusals(issuer: User, users: list[User]) -> dict[int, str | None]:
    """For each of `users`, None when `issuer` is senior to them in every course they are in (what
    it takes to hand someone a link that sets their password: whoever holds it acts as them
    everywhere), else the reason why not."""
    ids = [u.id for u in users]
    mine = dict(db.session.execute(select(Enrolment.course_id, Enrolment.role)
                                   .where(Enrolment.user_id == issuer.id)).all())
    theirs: dict[int, list[tuple[int, Role, str]]] = {i: [] for i in ids}
    for user_id, course_id, role, code in db.session.execute(
            select(Enrolment.user_id, Enrolment.course_id, Enrolment.role, Course.code)
            .join(Course, Enrolment.course_id == Course.id).where(Enrolment.user_id.in_(ids))):
        theirs[user_id].append((course_id, role, code))
    found: dict[int, str | None] = {}
    for user in users:
        found[user.id] = _refusal(issuer, user, mine, theirs[user.id])
    return found


def _refusal(issuer: User, user: User, mine: dict[int, Role], theirs: list[tuple[int, Role, str]]) -> str | None:
    if issuer.id == user.id:
        return "Use “Change password” for your own account."
    if not theirs:
        return f"{user.email} is in no course; an operator can issue their link (flask users link)."
    for course_id, role, code in sorted(theirs, key=lambda t: t[2]):
        own = mine.get(course_id)
        if own is None or RANK[own] <= RANK[role]:
            where = "you are not staff" if own is None else f"you are {A_ROLE[own]}"
            return (f"{user.email} is {A_ROLE[role]} in {code}, where {where}; an instructor of {code} "
                    "can issue their link.")
    return None


def outranks(issuer: User, user: User) -> str | None:
    """`refusals` for one user: None when the issuer may hand them a set-password link."""
    return refusals(issuer, [user])[user.id]
