"""Due dates: an assignment's, a student's extension of it, and the late policy that reads
both. Submitting and grading ask `assess` the same question with the same inputs, so a
file accepted on time is graded as on time, and a regrade applies the policy as it is now."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.models import Assignment, Course, Enrolment, Extension, LatePolicy, Role, User, utcnow
from app.services import assignments, people
from app.services.errors import NotFound, ServiceError
from graders import late


def assess(policy: LatePolicy, penalty_per_day: float, due: dt.datetime | None, extension_due: dt.datetime | None,
           submitted_at: dt.datetime) -> late.Lateness:
    """The late policy for one student: their extension's due date, when they have one,
    replaces the assignment's."""
    return late.assess(policy.value, penalty_per_day, extension_due if extension_due is not None else due,
                       submitted_at)


def extension_of(assignment: Assignment, user: User) -> Extension | None:
    return db.session.scalar(select(Extension).where(Extension.assignment_id == assignment.id,
                                                     Extension.user_id == user.id))


def effective_due(assignment: Assignment, user: User) -> dt.datetime | None:
    extension = extension_of(assignment, user)
    return extension.due if extension is not None else assignment.due


def _enrolled_student(course: Course, email: str) -> User:
    user = people.get_user(email)
    role = db.session.scalar(select(Enrolment.role).where(Enrolment.course_id == course.id,
                                                          Enrolment.user_id == user.id))
    if role is None:
        raise ServiceError(f"{user.email} is not enrolled in {course.code}")
    if role is not Role.STUDENT:
        raise ServiceError(f"{user.email} is {role.value} in {course.code}, not a student: only students get extensions")
    return user


def grant_extension(course_code: str, assignment_name: str, email: str, due: dt.datetime,
                    granted_by: User | None = None, reason: str = "") -> Extension:
    """Give one student a due date of their own for one assignment (replacing any earlier
    extension of theirs). Their submissions are judged against it from now on, and on regrade."""
    if due.tzinfo is None:
        raise ServiceError("an extension's due date needs a time zone (for example 2026-12-20T23:59Z)")
    assignment = assignments.get_assignment(course_code, assignment_name)
    user = _enrolled_student(assignment.course, email)
    if assignment.due is not None and due < assignment.due:
        # An earlier date would make the student's work late that is on time for the class.
        raise ServiceError(f"an extension gives more time: {due:%Y-%m-%d %H:%M} UTC is before the assignment's due "
                           f"date ({assignment.due:%Y-%m-%d %H:%M} UTC)")
    extension = extension_of(assignment, user)
    if extension is None:
        extension = Extension(assignment=assignment, user=user)
        db.session.add(extension)
    extension.due = due
    extension.granted_by = granted_by
    extension.reason = reason.strip()
    extension.created_at = utcnow()
    db.session.commit()
    return extension


def revoke_extension(course_code: str, assignment_name: str, email: str) -> dt.datetime:
    """Take a student's extension away; returns the due date it had given them."""
    assignment = assignments.get_assignment(course_code, assignment_name)
    user = people.get_user(email)
    extension = extension_of(assignment, user)
    if extension is None:
        raise NotFound(f"{user.email} has no extension for {course_code}/{assignment_name}")
    due = extension.due
    db.session.delete(extension)
    db.session.commit()
    return due


def list_extensions(course_code: str, assignment_name: str | None = None) -> list[Extension]:
    """The extensions of a course (of one assignment, when named), by assignment then student."""
    query = (select(Extension).join(Extension.assignment).join(Assignment.course).join(Extension.user)
             .where(Course.code == course_code).order_by(Assignment.name, User.email))
    if assignment_name is not None:
        query = query.where(Assignment.id == assignments.get_assignment(course_code, assignment_name).id)
    elif db.session.scalar(select(Course.id).where(Course.code == course_code)) is None:
        raise NotFound(f"no course {course_code!r}")
    return list(db.session.scalars(query))
