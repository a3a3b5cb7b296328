"""API tokens: each belongs to one course and one integration (an LMS, a course's script),
carries scopes, is shown once at creation and stored only as a hash.

A token carries 256 random bits, so a SHA-256 of it is as safe to store as a slow password
hash would be, and lets a request find its token with one indexed lookup."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import bindparam, or_, select, update

from app.extensions import db
from app.models import ApiToken, Course, User, utcnow
from app.services import courses
from app.services.errors import NotFound, ServiceError

PREFIX = "ngt_"  # recognisable in a leaked config file or a secret scanner
SUBMISSIONS_WRITE = "submissions:write"
RESULTS_READ = "results:read"
WEBHOOKS_MANAGE = "webhooks:manage"
SCOPES = (SUBMISSIONS_WRITE, RESULTS_READ, WEBHOOKS_MANAGE)
SCOPE_HELP = {
    SUBMISSIONS_WRITE: "send submissions for the course's students",
    RESULTS_READ: "read assignments, submissions, results and scores",
    WEBHOOKS_MANAGE: "register and manage webhook endpoints",
}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")
SECRET = re.compile(r"^ngt_[A-Za-z0-9_-]{43}$")
# Recording a use is a write; one per minute per token (or at once when the address changes)
# keeps "last used" true to the minute without a write on every request.
USE_RECORD_INTERVAL = dt.timedelta(seconds=60)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_scopes(scopes: list[str]) -> list[str]:
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown:
        raise ServiceError(f"unknown scope {', '.join(map(repr, unknown))}; the scopes are {', '.join(SCOPES)}")
    if not scopes:
        raise ServiceError(f"a token needs at least one scope ({', '.join(SCOPES)})")
    return sorted(set(scopes))


def create(course_code: str, name: str, scopes: list[str], created_by: User | None = None) -> tuple[ApiToken, str]:
    """A new token of integration `name` in the course, and its secret, which is never stored
    and cannot be shown again."""
    course = courses.get_course(course_code)
    name = name.strip()
    if not NAME.match(name):
        raise ServiceError("an integration name is 1 to 100 letters, digits, spaces, dots, dashes or underscores, "
                           "starting with a letter or digit (for example 'canvas' or 'moodle-prod')")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(course=course, name=name, token_hash=digest(secret), hint=secret[-4:],
                     scopes=check_scopes(scopes), created_by=created_by)
    db.session.add(token)
    db.session.commit()
    return token, secret


LOOKUP = select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))


def authenticate(secret: str, address: str | None = None, now: dt.datetime | None = None) -> ApiToken | None:
    """The live token with this secret, or None (malformed, unknown or revoked); its use is
    recorded (time and address), at most once a minute unless the address changes."""
    if not SECRET.match(secret):
        return None
    token = db.session.scalar(LOOKUP, {"token_hash": digest(secret)})
    if token is None:
        return None
    now = now or utcnow()
    address = (address or "")[:45] or None
    stale = token.last_used_at is None or now - token.last_used_at >= USE_RECORD_INTERVAL
    if stale or token.last_used_ip != address:
        # Conditional, so that of many concurrent requests only the first few write.
        db.session.execute(
            update(ApiToken).where(ApiToken.id == token.id,
                                   or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - USE_RECORD_INTERVAL,
                                       ApiToken.last_used_ip.is_distinct_from(address)))
            .values(last_used_at=now, last_used_ip=address).execution_options(synchronize_session="fetch"))
        db.session.commit()
    return token


def get_token(token_id: int, course: Course | None = None) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or (course is not None and token.course_id != course.id):
        raise NotFound(f"no token {token_id}" + (f" in {course.code}" if course is not None else ""))
    return token


def revoke(token_id: int, course: Course | None = None) -> ApiToken:
    """Revoke a token (of `course`, when given: staff of one course cannot revoke another's).
    Revoking twice is harmless; the first time is kept."""
    token = get_token(token_id, course)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def list_tokens(course_code: str | None = None, include_revoked: bool = True) -> list[ApiToken]:
    """Tokens (of one course, when given), newest first."""
    query = select(ApiToken).join(ApiToken.course).order_by(Course.code, ApiToken.id.desc())
    if course_code is not None:
        query = query.where(ApiToken.course_id == courses.get_course(course_code).id)
    if not include_revoked:
        query = query.where(ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(query))
