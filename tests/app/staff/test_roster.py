"""The roster pages: importing a CSV from the web with the CLI's rules, and set-password links."""

from __future__ import annotations

import csv
import io
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, Enrolment, PasswordToken, Role, User
from app.services import password_links, people
from tests.support.authz import fresh_request, log_in
from tests.support.web import csrf_from, get, text

GOOD = "Email,Full Name,Role,SIS User ID\nann@example.edu,Ann Lee,student,s1\nted@example.edu,Ted Ma,TA,s2\n"
BAD = "\n".join([
    "email,name,role",
    "ann@example.edu,Ann,student",       # 2: fine
    "not-an-email,Bob,student",          # 3
    "cat@example.edu,Cat,professor",     # 4
    "ANN@example.edu,Ann again,ta",      # 5: twice
]) + "\n"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def staff(course: Course) -> dict[str, User]:
    people_by_role = {}
    for email, role in (("prof@example.edu", Role.INSTRUCTOR), ("ta@example.edu", Role.TA)):
        user, _ = people.get_or_create_user(email, email.split("@")[0], role, None)
        people.enrol(user, course, role)
        people_by_role[role.value] = user
    db.session.commit()
    return people_by_role


def client_of(app: Flask, user: User):
    client = app.test_client()
    log_in(client, user)
    return client


def upload(client, course: Course, content: bytes, filename: str = "roster.csv"):
    path = f"/staff/{course.code}/roster/import"
    token = csrf_from(text(get(client, path)))
    return fresh_request(client, path, method="POST", content_type="multipart/form-data",
                         data={"csrf_token": token, "file": (io.BytesIO(content), filename)})


def test_a_bad_roster_lists_every_bad_line_and_imports_nothing(app_context: Flask, course: Course, staff) -> None:
    before = (count(User), count(Enrolment))
    response = upload(client_of(app_context, staff["instructor"]), course, BAD.encode())
    body = text(response)
    assert response.status_code == 422
    assert "Nothing was imported: 3 problems in roster.csv" in body
    lines = re.findall(r"<li>roster\.csv:(\d+): ", body)
    assert lines == ["3", "4", "5"]
    assert "is also on line 2" in body and "role &#39;professor&#39; is not one of" in body
    assert (count(User), count(Enrolment)) == before and count(PasswordToken) == 0


def test_a_roster_that_is_not_utf8_is_refused(app_context: Flask, course: Course, staff) -> None:
    response = upload(client_of(app_context, staff["instructor"]), course, "email\nzoë@example.edu\n".encode("latin-1"))
    assert response.status_code == 422 and "not UTF-8 text" in text(response)


def test_a_good_roster_enrols_and_invites(app_context: Flask, course: Course, staff) -> None:
    client = client_of(app_context, staff["instructor"])
    response = upload(client, course, ("\ufeff" + GOOD).encode())
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/{course.code}/roster"
    roster = text(get(client, f"/staff/{course.code}/roster"))
    assert "Roster imported: 2 new accounts, 2 new enrolments, 2 set-password links to hand out." in roster
    ann = people.get_user("ann@example.edu")
    assert ann.name == "Ann Lee" and ann.external_id == "s1" and ann.password_hash is None
    link = password_links.live_links([ann])[ann.id]
    assert link.created_by_id == staff["instructor"].id
    url = f"http://localhost/auth/set-password/{password_links.token_for(link)}"
    assert f'value="{url}"' in roster and "Invited" in roster
    # The same links as a CSV for a mail merge.
    rows = list(csv.DictReader(io.StringIO(text(get(client, f"/staff/{course.code}/roster/links.csv")))))
    assert {r["email"]: r["link"] for r in rows}["ann@example.edu"] == url
    assert {r["kind"] for r in rows} == {"invitation"}
    # The link works: Ann chooses her password and is in.
    anon = app_context.test_client()
    page = get(anon, url)
    done = fresh_request(anon, url, method="POST", data={"csrf_token": csrf_from(text(page)),
                                                         "new_password": "ann's own phrase", "confirm": "ann's own phrase"})
    assert done.status_code == 302
    assert "Active" in text(get(client, f"/staff/{course.code}/roster"))


def test_only_instructors_import(app_context: Flask, course: Course, staff) -> None:
    ta = client_of(app_context, staff["ta"])
    response = get(ta, f"/staff/{course.code}/roster/import")
    assert response.status_code == 403 and "Only instructors of T101 can do this" in text(response)
    assert "Import a roster" not in text(get(ta, f"/staff/{course.code}/roster"))


def test_a_ta_cannot_see_or_make_an_instructor_s_link(app_context: Flask, course: Course, staff, student) -> None:
    password_links.create(staff["instructor"], course=course)
    password_links.create(student, course=course)
    db.session.commit()
    ta = client_of(app_context, staff["ta"])
    roster = text(get(ta, f"/staff/{course.code}/roster"))
    instructor_row = re.search(rf'<tr id="person-{staff["instructor"].id}">.*?</tr>', roster, re.S).group(0)
    student_row = re.search(rf'<tr id="person-{student.id}">.*?</tr>', roster, re.S).group(0)
    assert "/auth/set-password/" not in instructor_row and "<form" not in instructor_row
    assert "/auth/set-password/" in student_row and "New link" in student_row
    links = text(get(ta, f"/staff/{course.code}/roster/links.csv"))
    assert "student@example.edu" in links and "prof@example.edu" not in links


def test_a_ta_cannot_reset_a_student_who_is_staff_elsewhere(app_context: Flask, course: Course, staff, student) -> None:
    """Whoever holds a set-password link acts as that person in all their courses."""
    elsewhere = Course(code="X9", title="Elsewhere")
    db.session.add(elsewhere)
    people.enrol(student, elsewhere, Role.INSTRUCTOR)
    db.session.commit()
    ta = client_of(app_context, staff["ta"])
    path = f"/staff/{course.code}/roster/{student.id}/link"
    token = csrf_from(text(get(ta, f"/staff/{course.code}/roster")))
    response = fresh_request(ta, path, method="POST", data={"csrf_token": token})
    assert response.status_code == 403 and "an instructor in X9" in text(response)
    assert count(PasswordToken) == 0


def test_a_new_link_replaces_the_old_one(app_context: Flask, course: Course, staff, student) -> None:
    old = password_links.create(student, course=course)
    db.session.commit()
    client = client_of(app_context, staff["ta"])
    token = csrf_from(text(get(client, f"/staff/{course.code}/roster")))
    response = fresh_request(client, f"/staff/{course.code}/roster/{student.id}/link", method="POST",
                             data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#person-{student.id}")
    db.session.refresh(old)
    assert old.revoked_at is not None
    assert "New password reset link for student@example.edu" in text(get(client, f"/staff/{course.code}/roster"))


def test_a_semicolon_roster_from_a_spreadsheet_imports_from_the_web(app_context: Flask, course: Course, staff) -> None:
    client = client_of(app_context, staff["instructor"])
    assert "commas or semicolons" in text(get(client, f"/staff/{course.code}/roster/import"))
    response = upload(client, course, "Full Name;Email;Student ID\nJosé Núñez;jose@example.edu;s9\n".encode())
    assert response.status_code == 302
    jose = people.get_user("jose@example.edu")
    assert (jose.name, jose.external_id) == ("José Núñez", "s9")
    roster = text(get(client, f"/staff/{course.code}/roster"))
    assert "Roster imported: 1 new account, 1 new enrolment, 1 set-password link to hand out." in roster
