"""Courses and who is in them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, Course, Enrolment, Role
from app.services.errors import NotFound


def find_course(code: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.code == code))


def get_course(code: str) -> Course:
    course = find_course(code)
    if course is None:
        raise NotFound(f"no course {code!r}")
    return course


def get_or_create_course(code: str, title: str | None = None) -> Course:
    """The course, created (flushed, not committed) when missing."""
    course = find_course(code)
    if course is None:
        course = Course(code=code, title=title or code)
        db.session.add(course)
        db.session.flush()
    return course


def create_course(code: str, title: str | None = None) -> tuple[Course, bool]:
    """The course, and whether it was created now (an existing one is left as it is)."""
    existing = find_course(code)
    if existing is not None:
        return existing, False
    course = get_or_create_course(code, title)
    db.session.commit()
    return course, True


@dataclass(frozen=True)
class CourseSummary:
    course: Course
    students: int
    staff: int
    assignments: int


def list_courses() -> list[CourseSummary]:
    """Every course with its head counts, in code order."""
    students = func.count(Enrolment.id).filter(Enrolment.role == Role.STUDENT)
    staff = func.count(Enrolment.id).filter(Enrolment.role != Role.STUDENT)
    people = dict((row[0], row[1:]) for row in db.session.execute(
        select(Enrolment.course_id, students, staff).group_by(Enrolment.course_id)))
    assignments = dict(db.session.execute(select(Assignment.course_id, func.count(Assignment.id))
                                          .group_by(Assignment.course_id)).all())
    return [CourseSummary(course, *people.get(course.id, (0, 0)), assignments.get(course.id, 0))
            for course in db.session.scalars(select(Course).order_by(Course.code))]
