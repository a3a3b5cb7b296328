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
def world(app_context: Flask, course: Course) -> World:
    return build_world(app_context, course)


def member(world: World, role: str) -> access.Membership:
    return access.membership(world.users[role], world.course.code)


def test_roles_belong_to_enrolments(world: World) -> None:
    from app.extensions import db
    from app.services import people

    ta = world.users["ta"]
    people.enrol(ta, world.other_course, Role.STUDENT)
    db.session.commit()
    roles = {m.course.code: m.role for m in access.memberships(ta)}
    assert roles == {world.course.code: Role.TA, world.other_course.code: Role.STUDENT}
    assert access.membership(ta, world.course.code, access.STAFF).is_staff
    with pytest.raises(NotFound):  # staff here, a student there: the staff pages there do not exist for them
        access.membership(ta, world.other_course.code, access.STAFF)


def test_a_course_one_is_not_in_does_not_exist(world: World) -> None:
    with pytest.raises(NotFound) as not_in:
        access.membership(world.users["ta_other"], world.course.code)
    with pytest.raises(NotFound) as missing:
        access.membership(world.users["ta_other"], "NO-SUCH")
    assert str(not_in.value).startswith("no course") and str(missing.value).startswith("no course")


def test_students_are_not_told_staff_pages_exist_and_tas_are_told_who_may(world: World) -> None:
    with pytest.raises(NotFound):
        access.membership(world.users["student"], world.course.code, access.STAFF)
    with pytest.raises(Forbidden, match="Only instructors of T101 can do this; you are a TA here."):
        access.membership(world.users["ta"], world.course.code, access.INSTRUCTOR)


def test_a_student_sees_only_their_own_submission(world: World) -> None:
    sid = world.submission.id
    assert access.submission_for(member(world, "student"), sid).id == sid
    assert access.submission_for(member(world, "ta"), sid).id == sid
    with pytest.raises(NotFound):
        access.submission_for(member(world, "other_student"), sid)


def test_objects_of_another_course_are_not_found_even_for_instructors(world: World) -> None:
    boss = member(world, "instructor")
    for lookup, object_id in ((access.submission_for, world.other_submission.id),
                              (access.assignment_in, world.other_assignment.id),
                              (access.student_in, world.other_course_student.id),
                              (access.person_in, world.other_course_student.id),
                              (access.submission_for, 10**9)):
        with pytest.raises(NotFound):
            lookup(boss, object_id)
    assert access.assignment_in(boss, world.assignment.id).id == world.assignment.id
    assert access.student_in(boss, world.users["student"].id).id == world.users["student"].id
    with pytest.raises(NotFound):  # a TA of the course is not one of its students
        access.student_in(boss, world.users["ta"].id)
    with pytest.raises(NotFound):  # and students do not look each other up
        access.student_in(member(world, "student"), world.users["other_student"].id)


def test_links_need_seniority_in_every_course_of_the_person(world: World) -> None:
    ta, boss = world.users["ta"], world.users["instructor"]
    student, pending = world.users["student"], world.pending
    refusals = access.refusals(ta, [student, boss, ta])
    assert refusals[student.id] is None
    assert refusals[boss.id] == ("course.instructor@example.edu is an instructor in T101, where you are a TA; "
                                 "an instructor of T101 can issue their link.")
    assert refusals[ta.id] == "Use “Change password” for your own account."
    assert access.outranks(boss, ta) is None and access.outranks(boss, pending) is None
    assert "where you are not staff" in access.outranks(boss, world.other_course_student)
