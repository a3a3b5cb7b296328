"""Logging in and out through the forms, CSRF tokens and all (Flask's test client)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Flask
from werkzeug.security import generate_password_hash

from app.auth.sessions import safe_next
from app.auth.throttle import EXTENSION, Throttle
from app.extensions import db, limiter
from app.models import Course, Role, User
from app.services import courses, passwords, people
from tests.support.web import csrf_from, get, log_in_with_form, post_form, text

FAILED = "Wrong email or password."


def test_the_login_page_has_labelled_email_and_password_fields(client) -> None:
    html = text(get(client, "/auth/login"))
    for label, kind, autocomplete in (("Email", "email", "username"), ("Password", "password", "current-password")):
        match = re.search(rf'<label class="field__label" for="([^"]+)">{label}', html)
        assert match, f"no label {label!r}"
        control = re.search(rf'<input[^>]*id="{match.group(1)}"[^>]*>', html).group(0)
        assert f'type="{kind}"' in control and f'autocomplete="{autocomplete}"' in control
    assert 'name="csrf_token"' in html


def test_a_student_in_one_course_lands_on_its_page(client, student: User, course: Course) -> None:
    response = log_in_with_form(client, "Student@Example.edu ", "pw")
    assert response.status_code == 302 and response.headers["Location"] == f"/student/{course.code}/"
    assert "A Student" in text(get(client, f"/student/{course.code}/"))
    db.session.refresh(student)
    assert student.last_login_at is not None


def test_someone_in_two_courses_lands_on_their_courses(client, student: User, course: Course) -> None:
    other = courses.get_or_create_course("TA101", "Another")
    people.enrol(student, other, Role.TA)
    db.session.commit()
    assert log_in_with_form(client, "student@example.edu", "pw").headers["Location"] == "/"
    home = text(get(client, "/"))
    assert "Your courses" in home and "You are a student here." in home and "You are a TA here." in home
    # The switcher sends each course to the pages of the viewer's role there.
    assert get(client, "/courses/switch?course=TA101").headers["Location"] == "/staff/TA101/"
    assert get(client, f"/courses/switch?course={course.code}").headers["Location"] == f"/student/{course.code}/"
    assert get(client, "/courses/switch?course=NOPE").status_code == 404


def test_a_failed_login_never_tells_whether_the_account_exists(client, student: User, monkeypatch) -> None:
    verified = []
    original = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, h, p: verified.append(h) or original(self, h, p))
    student.active = True
    pending, _ = people.get_or_create_user("pending@example.edu", "P", Role.STUDENT, None)
    gone, _ = people.get_or_create_user("gone@example.edu", "G", Role.STUDENT, "right-password")
    gone.active = False
    db.session.commit()
    verified.clear()
    answers = {}
    for email, password in (("student@example.edu", "wrong"), ("nobody@example.edu", "pw"),
                            ("pending@example.edu", "pw"), ("gone@example.edu", "right-password")):
        response = log_in_with_form(client, email, password)
        body = re.sub(r'(value|content)="[^"]*"', "", text(response))  # CSRF tokens and the typed address differ
        answers[email] = (response.status_code, body)
    assert len(set(answers.values())) == 1, "the answers differ"
    status, body = next(iter(answers.values()))
    assert status == 422 and body.count(FAILED) == 1
    # Every attempt ran one argon2 verification: unknown and password-less accounts against a dummy hash.
    assert len(verified) == 4


def test_next_leads_back_to_the_page_only_on_this_site(client, student: User, course: Course) -> None:
    page = f"/student/{course.code}/?tab=1"
    sent = get(client, page)
    assert sent.status_code == 302
    login_url = urlsplit(sent.headers["Location"])
    assert login_url.path == "/auth/login" and parse_qs(login_url.query)["next"] == [page]
    assert log_in_with_form(client, "student@example.edu", "pw", next_path=page).headers["Location"] == page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil",
                                    "javascript:alert(1)", "evil.example", "/ok\r\nSet-Cookie: x=1",
                                    "/auth/login", "/auth/logout", "http:/evil.example"])
def test_next_refuses_other_sites_and_loops(app_context: Flask, target: str) -> None:
    with app_context.test_request_context():
        assert safe_next(target) is None


def test_next_keeps_a_local_path_with_its_query(app_context: Flask) -> None:
    with app_context.test_request_context():
        assert safe_next("/staff/T101/roster?sort=name#x") == "/staff/T101/roster?sort=name#x"


def test_a_login_without_its_csrf_token_is_refused(client, student: User) -> None:
    from tests.support.authz import fresh_request

    response = fresh_request(client, "/auth/login", method="POST",
                             data={"email": "student@example.edu", "password": "pw"})
    assert response.status_code == 400 and "Form expired" in text(response)
    assert get(client, "/auth/password").status_code == 302  # not logged in


def test_logout_takes_a_post_with_its_token(client, student: User) -> None:
    log_in_with_form(client, "student@example.edu", "pw")
    confirm = get(client, "/auth/logout")
    assert confirm.status_code == 200 and "Log out" in text(confirm)
    assert get(client, "/auth/password").status_code == 200  # a GET did not log out
    response = post_form(client, "/auth/logout", {}, page="/auth/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    assert get(client, "/auth/password").status_code == 302


def test_every_page_has_a_logout_button_with_a_token(client, student: User) -> None:
    log_in_with_form(client, "student@example.edu", "pw")
    html = text(get(client, "/"))
    form = re.search(r'<form class="user-menu__logout" method="post" action="/auth/logout">(.*?)</form>', html, re.S)
    assert form and csrf_from(form.group(1)) and "Log out" in form.group(1)


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(app_context: Flask, student: User) -> None:
    client = app_context.test_client()
    page = get(client, "/auth/login", base_url="https://grader.example.edu")
    from tests.support.authz import fresh_request

    response = fresh_request(client, "/auth/login", method="POST", base_url="https://grader.example.edu",
                             headers={"Referer": "https://grader.example.edu/auth/login"},
                             data={"csrf_token": csrf_from(text(page)), "email": "student@example.edu",
                                   "password": "pw"})
    assert response.status_code == 302
    flags = {f.strip().lower() for f in response.headers["Set-Cookie"].split(";")}
    assert {"secure", "httponly", "samesite=lax"} <= flags
    assert any(f.startswith("expires=") for f in flags)  # a login lasts PERMANENT_SESSION_LIFETIME


# --- hashes ---------------------------------------------------------------------------------------------

def test_passwords_are_stored_as_argon2id(student: User) -> None:
    assert student.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify(student, "pw") and not passwords.verify(student, "wrong")


def test_a_hash_with_old_parameters_is_replaced_at_login(app_context: Flask, client, student: User) -> None:
    old = student.password_hash
    app_context.config["PASSWORD_HASH"] = {"time_cost": 2, "memory_cost": 32768, "parallelism": 2}
    try:
        assert log_in_with_form(client, "student@example.edu", "pw").status_code == 302
        db.session.refresh(student)
        assert student.password_hash != old and "$m=32768,t=2,p=2$" in student.password_hash
        assert passwords.verify(student, "pw")
    finally:
        app_context.config["PASSWORD_HASH"] = {}


@pytest.mark.parametrize("method", ["pbkdf2:sha256", "scrypt"])
def test_werkzeug_hashes_still_log_in_and_become_argon2(client, student: User, method: str) -> None:
    student.password_hash = generate_password_hash("old-werkzeug-pw", method=method)
    db.session.commit()
    assert log_in_with_form(client, "student@example.edu", "wrong").status_code == 422
    db.session.refresh(student)
    assert student.password_hash.startswith(method.split(":")[0])  # a failure changes nothing
    assert log_in_with_form(client, "student@example.edu", "old-werkzeug-pw").status_code == 302
    db.session.refresh(student)
    assert student.password_hash.startswith("$argon2id$")
    assert passwords.verify(student, "old-werkzeug-pw")


# --- throttling -----------------------------------------------------------------------------------------

def test_failures_per_account_lock_it_even_for_the_right_password(client, student: User) -> None:
    for _ in range(5):
        assert log_in_with_form(client, "student@example.edu", "wrong").status_code == 422
    locked = log_in_with_form(client, "student@example.edu", "pw")
    assert locked.status_code == 429 and "Too many failed attempts. Try again in" in text(locked)
    assert int(locked.headers["Retry-After"]) > 0
    assert get(client, "/auth/password").status_code == 302  # still not logged in
    # The same answer for an address that has no account: the lock says nothing about existence.
    for _ in range(5):
        log_in_with_form(client, "nobody@example.edu", "x")
    assert log_in_with_form(client, "nobody@example.edu", "x").status_code == 429


def test_another_account_from_the_same_address_is_not_locked(client, student: User) -> None:
    people.get_or_create_user("other@example.edu", "O", Role.STUDENT, "other-pw")
    db.session.commit()
    for _ in range(5):
        log_in_with_form(client, "student@example.edu", "wrong")
    assert log_in_with_form(client, "other@example.edu", "other-pw").status_code == 302


def test_a_success_clears_the_account_s_failures(client, student: User) -> None:
    for _ in range(4):
        log_in_with_form(client, "student@example.edu", "wrong")
    assert log_in_with_form(client, "student@example.edu", "pw").status_code == 302
    post_form(client, "/auth/logout", {}, page="/auth/logout")
    for _ in range(4):
        assert log_in_with_form(client, "student@example.edu", "wrong").status_code == 422


def test_failures_per_address_lock_every_account_from_it(app_context: Flask, client, student: User) -> None:
    from limits import parse_many

    saved = app_context.extensions[EXTENSION]
    app_context.extensions[EXTENSION] = Throttle(limiter, parse_many("50 per minute"), parse_many("3 per minute"),
                                                 "nablagrade-test")
    try:
        for n in range(3):
            log_in_with_form(client, f"guess{n}@example.edu", "x")
        assert log_in_with_form(client, "student@example.edu", "pw").status_code == 429
        # Another address is not affected.
        other = app_context.test_client()
        page = get(other, "/auth/login", environ_base={"REMOTE_ADDR": "10.1.2.3"})
        from tests.support.authz import fresh_request

        response = fresh_request(other, "/auth/login", method="POST", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                                 data={"csrf_token": csrf_from(text(page)), "email": "student@example.edu",
                                       "password": "pw"})
        assert response.status_code == 302
    finally:
        app_context.extensions[EXTENSION] = saved
