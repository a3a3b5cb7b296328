"""Set-password links: how a new account gets its first password, and a forgotten one is replaced.

A link is single use and expires (INVITATION_LINK_DAYS for a new account, RESET_LINK_HOURS for a
reset). Its token is the row id signed with the secret key, not a secret stored in the database:
with no mail server, staff are shown the live link of each person again whenever they need to
pass it on, and a copy of the database alone cannot produce a working link. A new link replaces
the person's earlier ones, and setting a password ends every link and every other session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from app.extensions import db
from app.models import Course, PasswordToken, PasswordTokenPurpose, User, utcnow
from app.services import access, passwords
from app.services.errors import ServiceError

SALT = "nablagrade.password-link"


class LinkInvalid(ServiceError):
    """A link that cannot set a password (any more); the message says why and what to do."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason  # unknown, used, expired, replaced, inactive


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(link: PasswordToken) -> str:
    return str(_serializer().dumps([link.id, link.user_id]))


def lifetime(purpose: PasswordTokenPurpose) -> dt.timedelta:
    config = current_app.config
    if purpose is PasswordTokenPurpose.INVITATION:
        return dt.timedelta(days=float(config.get("INVITATION_LINK_DAYS", 14)))
    return dt.timedelta(hours=float(config.get("RESET_LINK_HOURS", 48)))


def live_links(users: list[User]) -> dict[int, PasswordToken]:
    """The live link of each of `users` who has one, by user id."""
    if not users:
        return {}
    now = utcnow()
    rows = db.session.scalars(select(PasswordToken).where(
        PasswordToken.user_id.in_([u.id for u in users]), PasswordToken.used_at.is_(None),
        PasswordToken.revoked_at.is_(None), PasswordToken.expires_at > now).order_by(PasswordToken.id))
    return {row.user_id: row for row in rows}


def latest_links(users: list[User]) -> dict[int, PasswordToken]:
    """The newest link of each of `users` who ever had one, live or not (to say "expired")."""
    if not users:
        return {}
    rows = db.session.scalars(select(PasswordToken).where(PasswordToken.user_id.in_([u.id for u in users]))
                              .order_by(PasswordToken.id))
    return {row.user_id: row for row in rows}


def revoke_live(user: User, now: dt.datetime) -> None:
    db.session.execute(update(PasswordToken).where(
        PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None), PasswordToken.revoked_at.is_(None))
        .values(revoked_at=now))


def create(user: User, *, purpose: PasswordTokenPurpose | None = None, course: Course | None = None,
           created_by: User | None = None) -> PasswordToken:
    """A new link for `user`, replacing theirs (flushed, not committed: a roster import creates
    its invitations in its own transaction). An invitation if they have no password yet."""
    now = utcnow()
    if purpose is None:
        purpose = PasswordTokenPurpose.RESET if user.password_hash else PasswordTokenPurpose.INVITATION
    revoke_live(user, now)
    link = PasswordToken(user=user, purpose=purpose, course_id=course.id if course else None,
                         created_by=created_by, created_at=now, expires_at=now + lifetime(purpose))
    db.session.add(link)
    db.session.flush()
    return link


def issue(user: User, *, by: User | None = None, course: Course | None = None) -> PasswordToken:
    """A new link for `user`, issued by staff member `by` (refused unless they are senior to the
    user in every course the user is in) or by an operator (`by=None`, the CLI)."""
    if not user.active:
        raise ServiceError(f"{user.email} is deactivated; reactivate the account first")
    if by is not None:
        refusal = access.outranks(by, user)
        if refusal:
            raise access.Forbidden(refusal)
    link = create(user, course=course, created_by=by)
    db.session.commit()
    return link


def issue_for(member: access.Membership, user_id: int) -> PasswordToken:
    """A new link for someone of the member's course, issued by the member (staff)."""
    user, _ = access.person_in(member, user_id)
    return issue(user, by=member.user, course=member.course)


def resolve(token: str) -> PasswordToken:
    """The live link a token names; LinkInvalid says why not (never found, used, expired...)."""
    try:
        link_id, user_id = _serializer().loads(token)
        link = db.session.get(PasswordToken, int(link_id))
    except (BadSignature, TypeError, ValueError):
        link = None
        user_id = None
    if link is None or link.user_id != user_id:
        raise LinkInvalid("This link is not a set-password link of nablagrade. Check that you copied all of it, "
                          "or ask your course staff for a new one.", "unknown")
    if link.used_at is not None:
        raise LinkInvalid("This link has already been used to set a password. Log in with that password, or ask "
                          "your course staff for a new link if you have forgotten it.", "used")
    if link.revoked_at is not None:
        raise LinkInvalid("A newer link replaced this one. Use the newest link you were given, or ask your course "
                          "staff for a new one.", "replaced")
    if link.expires_at <= utcnow():
        raise LinkInvalid("This link has expired. Ask your course staff for a new one.", "expired")
    if not link.user.active:
        raise LinkInvalid("This account is deactivated. Ask your course staff.", "inactive")
    return link


def redeem(token: str, password: str, confirmation: str) -> User:
    """Set the password of the link's user and use the link up; every other link of theirs and
    every other session of theirs ends. Raises LinkInvalid or passwords.PasswordRejected."""
    link = resolve(token)
    user = link.user
    passwords.check_new_password(password, confirmation, user)
    now = utcnow()
    # One statement decides who uses the link: of two requests racing with the same token, the
    # second updates no row and is told the link was used.
    claimed = db.session.execute(update(PasswordToken).where(
        PasswordToken.id == link.id, PasswordToken.used_at.is_(None), PasswordToken.revoked_at.is_(None),
        PasswordToken.expires_at > now).values(used_at=now))
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise LinkInvalid("This link has already been used to set a password.", "used")
    revoke_live(user, now)
    passwords.set_password(user, password)
    user.session_generation += 1
    db.session.commit()
    return user


def describe(link: PasswordToken | None, user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    """The state of someone's account for a roster: active, invited, expired or reset pending."""
    now = now or utcnow()
    live = link is not None and link.is_live(now)
    if user.password_hash:
        state = "reset" if live and link is not None and link.purpose is PasswordTokenPurpose.RESET else "active"
    elif live:
        state = "invited"
    else:
        state = "expired" if link is not None else "no-link"
    return {"state": state, "link": link if live else None}
