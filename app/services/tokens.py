"""API tokens: created for a user with scopes, shown once, stored only as a hash.

A token carries 256 random bits, so a SHA-256 of it is as safe to store as a slow password
hash would be, and lets a request find its token with one indexed lookup."""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken, User, utcnow
from app.services.errors import NotFound, ServiceError

PREFIX = "ngt_"  # recognisable in a leaked config file or a secret scanner
SCOPE = re.compile(r"^[a-z][a-z_]*(:[a-z_]+)*$")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(user: User, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and cannot be shown again."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ServiceError("a token needs a name of 1 to 100 characters")
    bad = [scope for scope in scopes if not SCOPE.match(scope)]
    if bad:
        raise ServiceError(f"not a scope: {', '.join(map(repr, bad))} (scopes look like 'submissions:read')")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=digest(secret), scopes=sorted(set(scopes)))
    db.session.add(token)
    db.session.commit()
    return token, secret


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret (its use recorded), or None: unknown, revoked, or its
    user deactivated."""
    if not secret.startswith(PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    db.session.commit()
    return token


def revoke(token_id: int, owner: User | None = None) -> ApiToken:
    """Revoke a token (of `owner`, when given: a user cannot revoke another's)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (owner is not None and token.user_id != owner.id):
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def list_for(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))
