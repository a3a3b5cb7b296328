"""Security headers and cookie flags on every response (app/security.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask, session

from app import create_app
from app.security import CONTENT_SECURITY_POLICY


@pytest.fixture(scope="module")
def headers_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    instance: Path = tmp_path_factory.mktemp("security-instance")
    app = create_app({"TESTING": True, "SECRET_KEY": "security-tests", "INSTANCE_PATH": str(instance),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'unused.sqlite3'}",
                      "CELERY_BROKER_URL": "memory://"})

    @app.get("/_set-session")
    def set_session() -> str:
        session["seen"] = True
        return "ok"

    return app


def directives(header: str) -> dict[str, str]:
    parsed = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        parsed[name] = value
    return parsed


@pytest.mark.parametrize("path", ["/styleguide/", "/static/css/app.css", "/does-not-exist", "/_set-session"])
def test_every_response_carries_the_policy(headers_app: Flask, path: str) -> None:
    response = headers_app.test_client().get(path)
    response.close()  # a static file is streamed from an open file
    policy = directives(response.headers["Content-Security-Policy"])
    # No inline script, no eval, nothing from another origin, no framing.
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert policy["font-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
    assert not any("unsafe" in value or "*" in value or "http" in value for value in policy.values())
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response.headers  # plain http: HSTS would be ignored anyway


def test_the_policy_is_the_module_s(headers_app: Flask) -> None:
    header = headers_app.test_client().get("/styleguide/").headers["Content-Security-Policy"]
    assert directives(header) == CONTENT_SECURITY_POLICY


def test_session_cookie_flags_over_http(headers_app: Flask) -> None:
    cookie = headers_app.test_client().get("/_set-session").headers["Set-Cookie"]
    flags = [flag.strip().lower() for flag in cookie.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags
    assert "secure" not in flags  # a Secure cookie would be dropped on plain-http development servers


def test_session_cookie_is_secure_over_https(headers_app: Flask) -> None:
    response = headers_app.test_client().get("/_set-session", base_url="https://nablagrade.test")
    flags = [flag.strip().lower() for flag in response.headers["Set-Cookie"].split(";")]
    assert {"secure", "httponly", "samesite=lax"} <= set(flags)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forced_secure_cookie_and_an_explicit_samesite_win(tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
                      "CELERY_BROKER_URL": "memory://", "SESSION_COOKIE_SECURE": True,
                      "SESSION_COOKIE_SAMESITE": "Strict"})

    @app.get("/_set")
    def set_() -> str:
        session["x"] = 1
        return "ok"

    flags = [f.strip().lower() for f in app.test_client().get("/_set").headers["Set-Cookie"].split(";")]
    assert "secure" in flags and "samesite=strict" in flags
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_versioned_static_files_are_cached_for_a_year(headers_app: Flask) -> None:
    with headers_app.test_request_context():
        from app.ui import asset_url

        url = asset_url("css/app.css")
    assert "?v=" in url
    client = headers_app.test_client()
    with client.get(url) as versioned, client.get("/static/css/app.css") as plain:
        assert versioned.status_code == plain.status_code == 200
        assert "immutable" in versioned.headers["Cache-Control"]
        assert "immutable" not in (plain.headers.get("Cache-Control") or "")


def test_an_htmx_post_needs_the_csrf_token(headers_app: Flask) -> None:
    """The style guide's regrade endpoint checks the token the way every form route must."""
    client = headers_app.test_client()
    page = client.get("/styleguide/").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    assert client.post("/styleguide/regrade", headers={"HX-Request": "true"}).status_code == 400
    assert client.post("/styleguide/regrade", headers={"HX-Request": "true", "X-CSRFToken": "forged"}).status_code == 400
    answer = client.post("/styleguide/regrade", headers={"HX-Request": "true", "X-CSRFToken": token})
    assert answer.status_code == 200 and "Regrade requested" in answer.get_data(as_text=True)
    plain = client.post("/styleguide/regrade", data={"csrf_token": token})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/styleguide/#live")
