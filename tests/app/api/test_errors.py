"""Every 4xx and 5xx under /api/v1 is an RFC 9457 problem with a detail a person can act on."""

import pytest

from tests.app.api.test_auth import assert_problem


def test_unknown_paths_and_methods_are_problems(client, bearer):
    assert_problem(client.get("/api/v1/nothing-here", headers=bearer), 404)
    assert_problem(client.get("/api/v1", headers=bearer), 404)
    assert_problem(client.get("/api/v1/submissions/not-a-number", headers=bearer), 404)
    wrong = assert_problem(client.delete("/api/v1/assignments", headers=bearer), 405)
    assert "DELETE" in wrong["detail"]
    assert set(client.delete("/api/v1/assignments", headers=bearer).headers["Allow"].split(", ")) >= {"GET"}
    assert_problem(client.put("/api/v1/assignments/1/submissions", headers=bearer), 405)


def test_pages_outside_the_api_keep_their_own_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_server_error_is_a_problem_that_leaks_nothing(app_context, bearer, monkeypatch):
    from app.services import integrations

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(integrations, "list_assignments", broken)
    app_context.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = app_context.test_client().get("/api/v1/assignments", headers=bearer)
    finally:
        app_context.config["PROPAGATE_EXCEPTIONS"] = None
    body = assert_problem(response, 500)
    assert "secret internals" not in response.get_data(as_text=True) and "Retrying later" in body["detail"]


@pytest.mark.parametrize(("query", "field"), [("limit=0", "limit"), ("limit=201", "limit"), ("limit=abc", "limit")])
def test_bad_query_parameters_are_422_problems_naming_the_field(client, bearer, query, field):
    body = assert_problem(client.get(f"/api/v1/assignments?{query}", headers=bearer), 422, "invalid-request")
    assert field in body["errors"]["query"] and f"{field} (query)" in body["detail"]


def test_a_bad_item_of_a_list_is_named_by_its_index(client, bearer):
    body = assert_problem(client.post("/api/v1/webhook-endpoints", headers=bearer,
                                      json={"url": "https://lms.example.edu/h", "events": ["submission.graded", "nope"]}),
                          422, "invalid-request")
    assert body["detail"].startswith("events[1] (json): Must be one of: submission.received,"), body["detail"]
    assert "{" not in body["detail"]  # words, not a JSON dump of the error tree


def test_a_naive_updated_since_is_refused(client, bearer, course):
    assignment = client.get("/api/v1/assignments", headers=bearer).get_json()["data"][0]["id"]
    body = assert_problem(client.get(f"/api/v1/assignments/{assignment}/scores?updated_since=2026-01-01T00:00:00",
                                     headers=bearer), 422, "invalid-request")
    assert "updated_since" in body["errors"]["query"]


def test_a_forged_or_foreign_cursor_is_a_400(client, bearer):
    assert_problem(client.get("/api/v1/assignments?cursor=abc", headers=bearer), 400, "invalid-cursor")
    first = client.get("/api/v1/assignments?limit=1", headers=bearer).get_json()
    assert first["next_cursor"]
    assignment = first["data"][0]["id"]
    # A cursor of the assignments listing means nothing to the scores listing.
    assert_problem(client.get(f"/api/v1/assignments/{assignment}/scores?cursor={first['next_cursor']}",
                              headers=bearer), 400, "invalid-cursor")


def test_the_rate_limit_is_per_token_and_a_429_says_when_to_come_back(app_context, make_token):
    app_context.config["API_RATE_LIMIT"] = "3 per minute"
    client = app_context.test_client()
    try:
        first, second = ({"Authorization": f"Bearer {make_token()}"} for _ in range(2))
        for _ in range(3):
            ok = client.get("/api/v1/assignments", headers=first)
            assert ok.status_code == 200 and "Retry-After" not in ok.headers
        refused = client.get("/api/v1/assignments", headers=first)
        body = assert_problem(refused, 429, "rate-limited")
        assert 0 < int(refused.headers["Retry-After"]) <= 60 and "3 per 1 minute" in body["detail"]
        assert client.get("/api/v1/assignments", headers=second).status_code == 200  # another token: its own count
    finally:
        app_context.config["API_RATE_LIMIT"] = "600 per minute"
