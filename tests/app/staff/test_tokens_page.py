"""The instructors' API tokens page: create (shown once), see the last use, revoke."""

import re

from app.extensions import db
from app.models import ApiToken, Role
from app.services import people, tokens
from tests.support.authz import fresh_request, log_in


def instructor_client(app, course):
    user, _ = people.get_or_create_user("prof@example.edu", "Prof Essor", Role.INSTRUCTOR, "pw")
    people.enrol(user, course, Role.INSTRUCTOR)
    db.session.commit()
    client = app.test_client()
    return client, log_in(client, user)


def test_a_token_is_created_shown_once_used_and_revoked(app_context, course):
    client, csrf = instructor_client(app_context, course)
    url = f"/staff/{course.code}/tokens"
    empty = fresh_request(client, url)
    assert empty.status_code == 200 and b"No tokens yet" in empty.data and empty.headers["Cache-Control"] == "no-store"

    made = fresh_request(client, url, method="POST",
                         data={"csrf_token": csrf, "name": "canvas", "scopes": ["results:read", "submissions:write"]})
    assert made.status_code == 200, made.data
    secret = re.search(rb'id="new-token" type="text" readonly value="(ngt_[A-Za-z0-9_-]{43})"', made.data).group(1)
    token = db.session.scalar(db.select(ApiToken))
    assert token.scopes == ["results:read", "submissions:write"] and token.created_by.email == "prof@example.edu"
    assert fresh_request(client, url).data.count(secret) == 0  # never again

    api = fresh_request(client, "/api/v1/assignments", headers={"Authorization": f"Bearer {secret.decode()}"},
                        environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert api.status_code == 200
    page = fresh_request(client, url).data.decode()
    assert "203.0.113.9" in page and "ends in …" + secret.decode()[-4:] in page

    revoked = fresh_request(client, f"{url}/{token.id}/revoke", method="POST", data={"csrf_token": csrf})
    assert revoked.status_code == 302
    assert tokens.authenticate(secret.decode()) is None
    assert "Revoked" in fresh_request(client, url).data.decode()


def test_a_bad_form_says_what_is_wrong_and_creates_nothing(app_context, course):
    client, csrf = instructor_client(app_context, course)
    url = f"/staff/{course.code}/tokens"
    for data, message in [({"name": "canvas"}, b"Choose at least one scope."),
                          ({"scopes": "results:read"}, b"Name the integration."),
                          ({"name": "-bad", "scopes": "results:read"}, b"an integration name is"),
                          ({"name": "x", "scopes": "admin"}, b"not a valid choice")]:
        response = fresh_request(client, url, method="POST", data={"csrf_token": csrf, **data})
        assert response.status_code == 422 and message in response.data, (data, response.data[-2000:])
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0
