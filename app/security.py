"""HTTP security defaults for every response: a strict Content-Security-Policy, the headers
that go with it, and session cookie flags.

The policy allows no inline script and no outside origin: every script, stylesheet, font and
request comes from the app itself (the vendored files under app/static/vendor). Pages keep to
it by loading behaviour from app/static/js and never writing `style="..."` or `<script>` with a
body into HTML (docs/frontend.md, "Content-Security-Policy").
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSessionInterface

# One directive per entry, so a test or a deployment can read or extend a single one.
CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    # KaTeX, uPlot and CodeMirror style elements through the CSSOM (or constructed stylesheets),
    # which style-src does not govern; style="" attributes in markup are refused.
    "style-src": "'self'",
    # data: for the small SVG images that stylesheets inline.
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}

HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}

HSTS = "max-age=31536000; includeSubDomains"


def policy_header(policy: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" if value else name for name, value in policy.items())


def _over_https(req: Request) -> bool:
    # request.is_secure honours X-Forwarded-Proto only when the deployment wraps the app in ProxyFix.
    return req.is_secure


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, marked Secure whenever the request came over https.

    SESSION_COOKIE_SECURE=True forces the flag (a deployment behind a TLS proxy without ProxyFix);
    plain-http development keeps working because the flag follows the request."""

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config.get("SESSION_COOKIE_SECURE"):
            return True
        try:
            return _over_https(request)
        except RuntimeError:  # outside a request: nothing to follow
            return False


def _set_headers(response: Response) -> Response:
    from flask import current_app

    policy = current_app.config["CONTENT_SECURITY_POLICY"]
    # A route that needs its own policy (none does today) sets the header itself.
    response.headers.setdefault("Content-Security-Policy", policy_header(policy))
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if _over_https(request):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Install the headers on every response and the cookie flags; config set earlier wins."""
    # Flask's own defaults are None (SameSite) and True (HttpOnly): None counts as unset.
    if app.config.get("SESSION_COOKIE_SAMESITE") is None:
        app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    defaults: dict[str, Any] = {
        "CONTENT_SECURITY_POLICY": dict(CONTENT_SECURITY_POLICY),
        # Flask-Login's remember-me cookie: the same flags, Secure only when forced (it has no per-request hook).
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": bool(app.config.get("SESSION_COOKIE_SECURE")),
    }
    for key, value in defaults.items():
        app.config.setdefault(key, value)
    app.session_interface = SessionInterface()
    app.after_request(_set_headers)
