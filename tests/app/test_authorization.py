"""Authorization as a matrix: every route of app.url_map x six kinds of visitor (tests/support/authz.py).

A route added without rows in the table fails here, and so does a row whose route is gone."""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from tests.support.authz import ROLES, TABLE, UNGUARDED, World, build_world, fresh_request, log_in, request


def routes(app: Flask) -> set[tuple[str, str]]:
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_route_has_rows_in_the_matrix(app: Flask) -> None:
    missing = routes(app) - UNGUARDED - {case.key for case in TABLE}
    assert not missing, ("routes with no row in tests/support/authz.py (say who may use them): "
                         + ", ".join(f"{m} {e}" for e, m in sorted(missing)))


def test_every_row_names_a_route(app: Flask) -> None:
    gone = {case.key for case in TABLE} - routes(app)
    assert not gone, "rows for routes that do not exist: " + ", ".join(f"{m} {e}" for e, m in sorted(gone))


@pytest.fixture
def world(app_context: Flask, course) -> World:
    return build_world(app_context, course)


@pytest.mark.parametrize("role", ROLES)
def test_matrix(world: World, role: str) -> None:
    wrong = []
    for case in TABLE:
        response, path = request(world, case, role)
        problem = case.expect[role].problem(response, path, case.method)
        if problem is not None:
            wrong.append(f"{case.name()} {path}: expected {case.expect[role]!r}, got {problem}")
    assert not wrong, f"as {role}:\n  " + "\n  ".join(wrong)


def test_every_form_refuses_a_request_without_its_csrf_token(world: World) -> None:
    """Outside the API, every state-changing route answers 400 to a request without the token,
    even from a logged-in instructor, and does nothing."""
    checked = []
    for case in TABLE:
        if case.method == "GET" or case.via != "session":
            continue
        client = world.app.test_client()
        log_in(client, world.users["instructor"])
        with world.app.test_request_context():
            path = url_for(case.endpoint, **case.args(world))
        response = fresh_request(client, path, method=case.method, data=case.data(world))
        assert response.status_code == 400, f"{case.name()}: {response.status_code} without a CSRF token"
        assert b"Form expired" in response.data
        checked.append(case.endpoint)
    assert {"auth.login", "auth.logout", "staff.issue_link"} <= set(checked)


def test_a_forged_csrf_token_is_refused(world: World) -> None:
    client = world.app.test_client()
    log_in(client, world.users["instructor"])
    response = fresh_request(client, "/auth/logout", method="POST", data={"csrf_token": "x" * 40})
    assert response.status_code == 400
    # Still logged in: the forged request did nothing.
    assert fresh_request(client, "/auth/password").status_code == 200
