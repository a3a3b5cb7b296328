"""Who may see what (app.services.access): roles per course, and lookups that never cross courses."""

from __future__ import annotations

import pytest
from flask import Flask

from app.models import Course, Role
from app.services import access
from app.services.access import Forbidden
from app.services.errors import NotFound
from tests.support.authz import World, build_world


@pytest.fixture
def access_world(app_context: Flask, course: Course) -> World:
    return build_world(app_context, course)


def member(access_world: World, role: str) -> access.Membership:
    return access.membership(access_world.users[role], access_world.course.code)


def test_roles_belong_to_enrolments(access_world: World) -> None:
    from app.extensions import db
    from app.services import people

    ta = access_world.users["ta"]
    people.enrol(ta, access_world.other_course, Role.STUDENT)
    db.session.commit()
    roles = {m.course.code: m.role for m in access.memberships(ta)}
    assert roles == {access_world.course.code: Role.TA, access_world.other_course.code: Role.STUDENT}
    assert access.membership(ta, access_world.course.code, access.STAFF).is_staff
    with pytest.raises(NotFound):  # staff here, a student there: the staff pages there do not exist for them
        access.membership(ta, access_world.other_course.code, access.STAFF)


def test_a_course_one_is_not_in_does_not_exist(access_world: World) -> None:
    with pytest.raises(NotFound) as not_in:
        access.membership(access_world.users["ta_other"], access_world.course.code)
    with pytest.raises(NotFound) as missing:
        access.membership(access_world.users["ta_other"], "NO-SUCH")
    assert str(not_in.value).startswith("no course") and str(missing.value).startswith("no course")


def test_students_are_not_told_staff_pages_exist_and_tas_are_told_who_may(access_world: World) -> None:
    with pytest.raises(NotFound):
        access.membership(access_world.users["student"], access_world.course.code, access.STAFF)
    with pytest.raises(Forbidden, match="Only instructors of T101 can do this; you are a TA here."):
        access.membership(access_world.users["ta"], access_world.course.code, access.INSTRUCTOR)


def test_a_student_sees_only_their_own_submission(access_world: World) -> None:
    sid = access_world.submission.id
    assert access.submission_for(member(access_world, "student"), sid).id == sid
    assert access.submission_for(member(access_world, "ta"), sid).id == sid
    with pytest.raises(NotFound):
        access.submission_for(member(access_world, "other_student"), sid)


def test_objects_of_another_course_are_not_found_even_for_instructors(access_world: World) -> None:
    boss = member(access_world, "instructor")
    for lookup, object_id in ((access.submission_for, access_world.other_submission.id),
                              (access.assignment_in, access_world.other_assignment.id),
                              (access.student_in, access_world.other_course_student.id),
                              (access.person_in, access_world.other_course_student.id),
                              (access.submission_for, 10**9)):
        with pytest.raises(NotFound):
            lookup(boss, object_id)
    assert access.assignment_in(boss, access_world.assignment.id).id == access_world.assignment.id
    assert access.student_in(boss, access_world.users["student"].id).id == access_world.users["student"].id
    with pytest.raises(NotFound):  # a TA of the course is not one of its students
        access.student_in(boss, access_world.users["ta"].id)
    with pytest.raises(NotFound):  # and students do not look each other up
        access.student_in(member(access_world, "student"), access_world.users["other_student"].id)


def test_links_need_seniority_in_every_course_of_the_person(access_world: World) -> None:
    ta, boss = access_world.users["ta"], access_world.users["instructor"]
    student, pending = access_world.users["student"], access_world.pending
    refusals = access.refusals(ta, [student, boss, ta])
    assert refusals[student.id] is None
    assert refusals[boss.id] == ("course.instructor@example.edu is an instructor in T101, where you are a TA; "
                                 "an instructor of T101 can issue their link.")
    assert refusals[ta.id] == "Use “Change password” for your own account."
    assert access.outranks(boss, ta) is None and access.outranks(boss, pending) is None
    assert "where you are not staff" in access.outranks(boss, access_world.other_course_student)
