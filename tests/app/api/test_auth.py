"""Who may do what: a token's validity, its scopes and its course, as a matrix."""

import pytest

from app.services import tokens

READS = ["/api/v1/assignments", "/api/v1/assignments/{a}", "/api/v1/assignments/{a}/scores",
         "/api/v1/submissions/{s}", "/api/v1/submissions/{s}/result"]
SUBMIT = "/api/v1/assignments/{a}/submissions"


@pytest.fixture
def assignment_ids(client, make_token, course):
    """An assignment id and a graded-or-not submission id of the test course."""
    token = make_token()
    listing = client.get("/api/v1/assignments", headers={"Authorization": f"Bearer {token}"}).get_json()
    assignment = next(a for a in listing["data"] if a["name"] == "t1")
    made = client.post(SUBMIT.format(a=assignment["id"]), headers={"Authorization": f"Bearer {token}"},
                       json={"code": "def f(x):\n    return x\n", "external_user_id": "u1"})
    assert made.status_code == 202, made.get_json()
    return {"a": assignment["id"], "s": made.get_json()["id"]}


def assert_problem(response, status, slug=None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["detail"] and body["title"] and body["instance"]
    if slug is not None:
        assert body["type"].endswith(f"/api/v1/docs#problem-{slug}")
    return body


@pytest.mark.parametrize("path", READS + [SUBMIT])
@pytest.mark.parametrize("header", [None, "Bearer", "Basic dXNlcjpwYXNz", "Bearer ngt_" + "x" * 43,
                                    "Bearer not-a-token", "ngt_" + "x" * 43])
def test_a_missing_or_wrong_token_is_a_401_problem(client, assignment_ids, path, header):
    url = path.format(**assignment_ids)
    headers = {"Authorization": header} if header is not None else {}
    method = client.post if path == SUBMIT else client.get
    body = assert_problem(method(url, headers=headers, json={"code": "x", "external_user_id": "u"}), 401,
                          "invalid-token")
    assert ("Authorization" in body["detail"]) if header is None else body["detail"]


def test_a_revoked_token_is_a_401_and_its_use_is_recorded(client, assignment_ids, make_token, course):
    secret = make_token()
    token = next(t for t in tokens.list_tokens(course.code) if t.hint == secret[-4:])
    ok = client.get("/api/v1/assignments", headers={"Authorization": f"Bearer {secret}"},
                    environ_base={"REMOTE_ADDR": "198.51.100.4"})
    assert ok.status_code == 200
    used = tokens.get_token(token.id)
    assert used.last_used_at is not None and used.last_used_ip == "198.51.100.4"
    tokens.revoke(token.id)
    for path in READS:
        assert_problem(client.get(path.format(**assignment_ids), headers={"Authorization": f"Bearer {secret}"}), 401,
                       "invalid-token")


SCOPE_OF = {path: tokens.RESULTS_READ for path in READS} | {SUBMIT: tokens.SUBMISSIONS_WRITE}


@pytest.mark.parametrize("path", READS + [SUBMIT])
def test_each_operation_needs_its_scope(client, assignment_ids, make_token, path):
    needed = SCOPE_OF[path]
    method = "post" if path == SUBMIT else "get"
    body = {"code": "def f(x):\n    return x\n", "external_user_id": "u2"}
    for scope in tokens.SCOPES:
        headers = {"Authorization": f"Bearer {make_token(scope)}"}
        response = getattr(client, method)(path.format(**assignment_ids), headers=headers, json=body)
        if scope == needed:
            assert response.status_code in (200, 202, 409), response.get_json()  # 409: a result not ready
        else:
            problem = assert_problem(response, 403, "insufficient-scope")
            assert problem["required_scope"] == needed and needed in problem["detail"]
            assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]


@pytest.mark.parametrize("path", READS + [SUBMIT])
def test_a_token_of_another_course_sees_nothing(client, assignment_ids, make_token, other_course, path):
    """Course B's token: every id of course A is a 404, exactly as an id that does not exist."""
    if path == "/api/v1/assignments":
        listing = client.get(path, headers={"Authorization": f"Bearer {make_token(course_code='B202')}"})
        assert assignment_ids["a"] not in {a["id"] for a in listing.get_json()["data"]}
        assert {a["name"] for a in listing.get_json()["data"]} >= {"t1"}
        return
    headers = {"Authorization": f"Bearer {make_token(course_code='B202')}"}
    method = client.post if path == SUBMIT else client.get
    theirs = method(path.format(**assignment_ids), headers=headers, json={"code": "x = 1\n", "external_user_id": "u3"})
    missing = method(path.format(a=99999, s=99999), headers=headers,
                     json={"code": "x = 1\n", "external_user_id": "u3"})
    assert_problem(theirs, 404)
    assert_problem(missing, 404)
    assert theirs.get_json()["detail"].replace(str(assignment_ids["a"]), "N").replace(str(assignment_ids["s"]), "N") == \
        missing.get_json()["detail"].replace("99999", "N")
