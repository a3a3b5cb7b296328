"""Logging in, the user behind a web session, and looking after one's own account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Enrolment, PasswordToken, Role, User, utcnow
from app.services import access, passwords
from app.services.password_links import describe, latest_links, revoke_live


def authenticate(email: str, password: str) -> User | None:
    """The active user with this address and password, or None.

    One answer, and about one duration, for an unknown address, a wrong password, an account
    with no password yet and a deactivated one: a failed login never tells whether an account
    exists. A success is recorded, and an outdated hash replaced by a current one."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower())) if email.strip() else None
    if user is None:
        passwords.burn_time(password)
        return None
    if not passwords.verify(user, password) or not user.active:
        db.session.rollback()
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def session_user(session_id: str) -> User | None:
    """The user a web session names ("<id>.<generation>"), if still active and the password has
    not changed since the session began."""
    user_id, _, generation = session_id.partition(".")
    if not user_id.isdigit() or not generation.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


def change_password(user: User, current: str, new: str, confirmation: str) -> None:
    """Replace the user's password, given the current one. Every other session of theirs ends
    and their outstanding set-password links stop working.

    Raises passwords.WrongPassword or passwords.PasswordRejected (with every problem listed)."""
    if not passwords.verify(user, current):
        db.session.rollback()
        raise passwords.WrongPassword("That is not your current password.")
    problems = passwords.problems_with(new, user)
    if new == current:
        problems.insert(0, "Choose a password different from your current one.")
    if problems or confirmation != new:
        db.session.rollback()
        raise passwords.PasswordRejected(problems, mismatch=confirmation != new)
    passwords.set_password(user, new)
    user.session_generation += 1
    revoke_live(user, utcnow())
    db.session.commit()


@dataclass(frozen=True)
class Account:
    """One person of a course roster, with the state of their account."""

    user: User
    role: Role
    state: str  # active, invited, reset, expired, no-link
    link: PasswordToken | None  # the live set-password link, if any and the viewer may see it
    last_login_at: dt.datetime | None
    can_issue: bool  # whether the viewer may issue them a link


def course_accounts(member: access.Membership) -> list[Account]:
    """Everyone in the member's course (staff), with whether they have set a password, their live
    set-password link, and whether the member may hand them a new one."""
    rows = db.session.execute(select(User, Enrolment.role).join(Enrolment, Enrolment.user_id == User.id)
                              .where(Enrolment.course_id == member.course.id)
                              .order_by(Enrolment.role, User.name, User.email)).all()
    users = [user for user, _ in rows]
    links = latest_links(users)
    refused = access.refusals(member.user, users)
    now = utcnow()
    accounts = []
    for user, role in rows:
        state = describe(links.get(user.id), user, now)
        may = refused[user.id] is None
        # A live link is as good as the account: shown only to those who may issue one.
        accounts.append(Account(user, role, state["state"], state["link"] if may else None, user.last_login_at,
                                can_issue=may))
    return accounts
