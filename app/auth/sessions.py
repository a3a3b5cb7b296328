"""Web sessions: who is logged in (Flask-Login), CSRF on every form, and where a login may lead.

The JSON API under /api/v1 authenticates with bearer tokens only: a session cookie never logs a
request in there, which is what makes exempting the API from CSRF safe."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, abort, flash, has_request_context, redirect, request, url_for

from app.api import problems
from app.extensions import csrf, login_manager
from app.models import User
from app.services import accounts


def is_api_request() -> bool:
    return has_request_context() and problems.under_api(request.path)


def load_user(session_id: str) -> User | None:
    if is_api_request():
        return None
    return accounts.session_user(session_id)


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site (where a login may send the browser next), else None.

    Only "/path?query" passes: no scheme, no host, no "//host" or "/\\host" that a browser would
    read as another site, no control characters, and not the login or logout pages themselves."""
    if not target or len(target) > 2000:
        return None
    if not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.rstrip("/") in (url_for("auth.login"), url_for("auth.logout")):
        return None
    return target


def unauthorized() -> Response:
    """Anonymous on a page that needs a login: to the login page, which comes back here after."""
    if is_api_request():
        abort(401)
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    login = url_for("auth.login", next=safe_next(target))
    if request.headers.get("HX-Request"):
        # A polling fragment whose session ended: htmx would swap the login page into it.
        response = Response(status=401)
        response.headers["HX-Redirect"] = login
        return response
    flash("Log in to see this page.", "info")
    return redirect(login)  # type: ignore[return-value]


def protect_forms() -> None:
    """CSRF on every state-changing request outside /api/v1 (Flask-WTF's token, in each form)."""
    from flask import current_app

    if current_app.config.get("WTF_CSRF_ENABLED", True) and not is_api_request():
        csrf.protect(apply_exemptions=True)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    # Flask-WTF's own check would cover the API too; protect_forms() makes the same check outside it.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    app.before_request(protect_forms)
