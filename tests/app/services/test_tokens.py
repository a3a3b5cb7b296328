"""API tokens: shown once, stored as a hash, dead once revoked."""

import pytest

from app.extensions import db
from app.models import ApiToken, Role
from app.services import people, tokens
from app.services.errors import NotFound, ServiceError


def test_a_token_is_stored_as_a_hash_and_authenticates_until_revoked(student):
    token, secret = tokens.create(student, "gradebook sync", ["submissions:read", "submissions:read"])
    assert secret.startswith("ngt_") and len(secret) > 40
    stored = db.session.get(ApiToken, token.id)
    assert secret not in stored.token_hash and stored.scopes == ["submissions:read"]
    found = tokens.authenticate(secret)
    assert found is not None and found.id == token.id and found.last_used_at is not None
    assert tokens.authenticate(secret + "x") is None
    assert tokens.authenticate("not-a-token") is None
    tokens.revoke(token.id)
    assert tokens.authenticate(secret) is None
    assert [t.id for t in tokens.list_for(student)] == [token.id]


def test_a_deactivated_users_tokens_stop_working(student):
    _, secret = tokens.create(student, "t", [])
    student.active = False
    db.session.commit()
    assert tokens.authenticate(secret) is None


def test_nobody_revokes_another_users_token(student):
    token, _ = tokens.create(student, "mine", [])
    other, _ = people.get_or_create_user("other@example.edu", "O", Role.STUDENT, "pw")
    with pytest.raises(NotFound):
        tokens.revoke(token.id, owner=other)
    assert db.session.get(ApiToken, token.id).revoked_at is None


@pytest.mark.parametrize(("name", "scopes", "message"), [
    ("", [], "needs a name"),
    ("x" * 101, [], "needs a name"),
    ("ok", ["Submissions Read"], "not a scope"),
    ("ok", ["read", ":bad"], "not a scope: ':bad'"),
])
def test_bad_token_requests_are_refused(student, name, scopes, message):
    with pytest.raises(ServiceError, match=message):
        tokens.create(student, name, scopes)
    assert db.session.query(ApiToken).count() == 0
