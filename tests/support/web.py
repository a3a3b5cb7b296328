"""Helpers for tests that use the web pages through Flask's test client, CSRF tokens included."""

from __future__ import annotations

import re
from typing import Any

from tests.support.authz import fresh_request

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token a page's form carries (as a browser would send it back)."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF token field"
    return match.group(1)


def get(client: Any, path: str, **kwargs: Any) -> Any:
    return fresh_request(client, path, method="GET", **kwargs)


def post_form(client: Any, path: str, data: dict[str, Any], *, page: str | None = None, **kwargs: Any) -> Any:
    """POST `data` to `path` with the CSRF token of the form on `page` (default: `path` itself)."""
    html = get(client, page or path).get_data(as_text=True)
    return fresh_request(client, path, method="POST", data={"csrf_token": csrf_from(html), **data}, **kwargs)


def log_in_with_form(client: Any, email: str, password: str, next_path: str | None = None) -> Any:
    query = f"?next={next_path}" if next_path else ""
    return post_form(client, "/auth/login" + query, {"email": email, "password": password})


def text(response: Any) -> str:
    return response.get_data(as_text=True)
