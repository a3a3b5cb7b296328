"""API tokens: one course and one integration each, shown once, stored as a hash, their
use recorded, dead once revoked."""

import datetime as dt

import pytest

from app.extensions import db
from app.models import ApiToken
from app.services import courses, tokens
from app.services.errors import NotFound, ServiceError


def test_a_token_is_stored_as_a_hash_and_authenticates_until_revoked(course):
    token, secret = tokens.create(course.code, "canvas", ["results:read", "submissions:write", "results:read"])
    assert secret.startswith("ngt_") and len(secret) == 47
    stored = db.session.get(ApiToken, token.id)
    assert secret not in stored.token_hash and stored.hint == secret[-4:]
    assert stored.scopes == ["results:read", "submissions:write"] and stored.course_id == course.id
    found = tokens.authenticate(secret, "203.0.113.7")
    assert found is not None and found.id == token.id
    assert tokens.authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert tokens.authenticate("not-a-token") is None
    assert tokens.authenticate(secret + "x") is None
    tokens.revoke(token.id)
    assert tokens.authenticate(secret) is None
    assert [t.id for t in tokens.list_tokens(course.code)] == [token.id]
    assert tokens.list_tokens(course.code, include_revoked=False) == []


def test_use_is_recorded_once_a_minute_or_when_the_address_changes(course):
    token, secret = tokens.create(course.code, "moodle", ["results:read"])
    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)

    def last_use():
        db.session.expire_all()
        row = db.session.get(ApiToken, token.id)
        return row.last_used_at, row.last_used_ip

    tokens.authenticate(secret, "10.1.1.1", now=start)
    assert last_use() == (start, "10.1.1.1")
    tokens.authenticate(secret, "10.1.1.1", now=start + dt.timedelta(seconds=30))
    assert last_use() == (start, "10.1.1.1")  # within the minute, same address: no write
    moved = start + dt.timedelta(seconds=40)
    tokens.authenticate(secret, "10.2.2.2", now=moved)
    assert last_use() == (moved, "10.2.2.2")
    later = moved + dt.timedelta(seconds=61)
    tokens.authenticate(secret, "10.2.2.2", now=later)
    assert last_use() == (later, "10.2.2.2")


def test_a_course_cannot_revoke_another_courses_token(course):
    other = courses.get_or_create_course("OTHER")
    db.session.commit()
    token, _ = tokens.create(course.code, "mine", ["results:read"])
    with pytest.raises(NotFound):
        tokens.revoke(token.id, course=other)
    assert db.session.get(ApiToken, token.id).revoked_at is None
    first = tokens.revoke(token.id, course=course).revoked_at
    assert tokens.revoke(token.id).revoked_at == first


@pytest.mark.parametrize(("course_code", "name", "scopes", "message"), [
    ("T101", "", ["results:read"], "integration name"),
    ("T101", "x" * 101, ["results:read"], "integration name"),
    ("T101", "-dash", ["results:read"], "integration name"),
    ("T101", "ok", [], "at least one scope"),
    ("T101", "ok", ["submissions:read"], "unknown scope 'submissions:read'"),
    ("NOPE", "ok", ["results:read"], "no course 'NOPE'"),
])
def test_bad_token_requests_are_refused(course, course_code, name, scopes, message):
    with pytest.raises(ServiceError, match=message):
        tokens.create(course_code, name, scopes)
    assert db.session.query(ApiToken).count() == 0
