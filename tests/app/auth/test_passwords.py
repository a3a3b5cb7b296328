"""Changing one's password, and setting one from a single-use, expiring link."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask

from app.extensions import db
from app.models import Course, PasswordToken, Role, User
from app.services import password_links, passwords, people
from app.services.passwords import problems_with
from tests.support.web import get, log_in_with_form, post_form, text

NEW = "violet anchor tea"


# --- the rules --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("password", "message"), [
    ("short", "Use at least 10 characters (this one has 5)."),
    ("password123", "one of the first that attackers try"),
    ("1234567890", "one of the first that attackers try"),
    ("qwertyuiop", "one of the first that attackers try"),
    ("NablaGrade", "one of the first that attackers try"),
    ("aaaaabbbbbaaaa", "Use at least 5 different characters."),
    (" leading space ok", "Do not start or end with a space."),
    ("tab\there inside", "no control characters"),
    ("x" * 300, "Use at most 256 characters"),
])
def test_weak_passwords_are_refused_with_a_reason(password: str, message: str) -> None:
    found = problems_with(password)
    assert any(message in problem for problem in found), found


def test_a_password_that_is_the_account_s_name_or_address_is_refused() -> None:
    user = User(email="ada.lovelace@example.edu", name="Ada Lovelace")
    assert problems_with("ada.lovelace", user) == ["Do not use your name or email address as your password."]
    assert problems_with("Ada Lovelace", user) == ["Do not use your name or email address as your password."]
    assert problems_with("lovelace notes 1843", user) == []


@pytest.mark.parametrize("password", [NEW, "correct horse battery staple", "Tr0ub4dor&3xyz", "ümlaut grün über"])
def test_good_passwords_pass(password: str) -> None:
    assert problems_with(password) == []


# --- changing it ----------------------------------------------------------------------------------------

def change(client, current: str, new: str, confirm: str | None = None):
    return post_form(client, "/auth/password", {"current_password": current, "new_password": new,
                                                 "confirm": new if confirm is None else confirm})


def test_changing_needs_the_current_password(client, student: User) -> None:
    log_in_with_form(client, "student@example.edu", "pw")
    response = change(client, "not-it", NEW)
    assert response.status_code == 422 and "That is not your current password." in text(response)
    assert passwords.verify(student, "pw")


def test_changing_reports_every_problem_beside_its_field(client, student: User) -> None:
    log_in_with_form(client, "student@example.edu", "pw")
    response = change(client, "pw", "short", "shorter")
    body = text(response)
    assert response.status_code == 422
    assert "Use at least 10 characters (this one has 5)." in body and "The two passwords do not match." in body
    assert 'aria-invalid="true"' in body and body.count('class="field field--invalid"') == 2


def test_the_new_password_must_differ(client, student: User) -> None:
    student.password_hash = passwords.hash_password(NEW)
    db.session.commit()
    log_in_with_form(client, "student@example.edu", NEW)
    assert "Choose a password different from your current one." in text(change(client, NEW, NEW))


def test_a_change_works_and_logs_out_every_other_session(app_context: Flask, student: User) -> None:
    here, elsewhere = app_context.test_client(), app_context.test_client()
    log_in_with_form(here, "student@example.edu", "pw")
    log_in_with_form(elsewhere, "student@example.edu", "pw")
    response = change(here, "pw", NEW)
    assert response.status_code == 302
    assert "Your password is changed." in text(get(here, "/auth/password"))  # this session carries on
    assert get(elsewhere, "/auth/password").status_code == 302  # the other one ended
    db.session.refresh(student)
    assert passwords.verify(student, NEW) and not passwords.verify(student, "pw")


def test_wrong_current_passwords_are_throttled(client, student: User) -> None:
    log_in_with_form(client, "student@example.edu", "pw")
    for _ in range(5):
        change(client, "guess", NEW)
    response = change(client, "pw", NEW)
    assert response.status_code == 429 and "Too many wrong attempts" in text(response)
    assert passwords.verify(student, "pw")


# --- set-password links ---------------------------------------------------------------------------------

@pytest.fixture
def invited(course: Course) -> tuple[User, str]:
    user, _ = people.get_or_create_user("new@example.edu", "New Student", Role.STUDENT, None)
    people.enrol(user, course, Role.STUDENT)
    link = password_links.create(user, course=course)
    db.session.commit()
    return user, f"/auth/set-password/{password_links.token_for(link)}"


def test_an_invitation_sets_the_first_password_and_logs_in(client, invited, course: Course) -> None:
    user, path = invited
    page = text(get(client, path))
    assert "Choose your password" in page and 'value="new@example.edu"' in page
    response = post_form(client, path, {"new_password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"] == f"/student/{course.code}/"
    assert "Your password is set." in text(get(client, f"/student/{course.code}/"))
    db.session.refresh(user)
    assert passwords.verify(user, NEW)


def test_a_link_works_once(client, invited) -> None:
    _, path = invited
    page = get(client, path)
    post_form(client, path, {"new_password": NEW, "confirm": NEW})
    again = get(client, path)
    assert again.status_code == 410 and "already been used" in text(again)
    # Even a form loaded before the link was used cannot use it again.
    from tests.support.authz import fresh_request
    from tests.support.web import csrf_from

    other = client.application.test_client()
    stale = fresh_request(other, path, method="POST", data={"csrf_token": csrf_from(text(page)),
                                                            "new_password": "other phrase here",
                                                            "confirm": "other phrase here"})
    assert stale.status_code in (400, 410)
    assert not passwords.verify(invited[0], "other phrase here")


def test_a_weak_password_keeps_the_link_live(client, invited) -> None:
    _, path = invited
    response = post_form(client, path, {"new_password": "short", "confirm": "short"})
    assert response.status_code == 422 and "Use at least 10 characters" in text(response)
    assert get(client, path).status_code == 200


def test_an_expired_link_is_refused(client, invited) -> None:
    user, path = invited
    link = db.session.query(PasswordToken).filter_by(user_id=user.id).one()
    link.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.session.commit()
    response = get(client, path)
    assert response.status_code == 410 and "This link has expired." in text(response)


def test_a_newer_link_replaces_the_older(client, invited, course: Course) -> None:
    user, path = invited
    newer = password_links.create(user, course=course)
    db.session.commit()
    assert "A newer link replaced this one." in text(get(client, path))
    assert get(client, f"/auth/set-password/{password_links.token_for(newer)}").status_code == 200


@pytest.mark.parametrize("token", ["garbage", "WzEsMV0.forged-signature", "Wy0xLDFd.x"])
def test_a_forged_link_is_not_found(client, invited, token: str) -> None:
    response = get(client, f"/auth/set-password/{token}")
    assert response.status_code == 404 and "not a set-password link" in text(response)


def test_a_reset_link_ends_when_the_password_changes(client, student: User, course: Course) -> None:
    link = password_links.issue(student)
    path = f"/auth/set-password/{password_links.token_for(link)}"
    assert link.purpose == "reset" and get(client, path).status_code == 200
    log_in_with_form(client, "student@example.edu", "pw")
    change(client, "pw", NEW)
    assert get(client, path).status_code == 410


def test_links_are_kept_out_of_caches(client, invited) -> None:
    assert get(client, invited[1]).headers["Cache-Control"] == "no-store"


def test_an_invitation_lasts_longer_than_a_reset(app_context: Flask, invited, student: User) -> None:
    user, _ = invited
    invitation = db.session.query(PasswordToken).filter_by(user_id=user.id).one()
    reset = password_links.issue(student)
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)
    assert reset.expires_at - reset.created_at == dt.timedelta(hours=48)
