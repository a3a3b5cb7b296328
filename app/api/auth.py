"""Bearer tokens: `Authorization: Bearer ngt_...`, one course and some scopes each
(app.services.tokens), and the rate-limit key that counts per token."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from flask import g, request
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint

from app.api.problems import Problem
from app.models import ApiToken
from app.services import tokens

SCHEME = "bearerAuth"  # the security scheme's name in the OpenAPI document
REALM = 'Bearer realm="nablagrade"'


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def current_token() -> ApiToken:
    return g.api_token


def authenticate() -> ApiToken:
    """The request's live token, or a 401 problem saying what is wrong with the header."""
    header = request.headers.get("Authorization")
    secret = bearer_secret()
    if secret is None:
        detail = ("send the token as `Authorization: Bearer <token>` (create one with `flask tokens create`)"
                  if header is None else "the Authorization header must be `Bearer <token>`")
        raise Problem(401, "invalid-token", detail, headers={"WWW-Authenticate": REALM})
    token = tokens.authenticate(secret, request.remote_addr)
    if token is None:
        raise Problem(401, "invalid-token", "the token is unknown or revoked",
                      headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'})
    return token


def requires(scope: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Authenticate before anything else (so a bad token is a 401 whatever the body), then
    demand `scope`; documents the requirement in the OpenAPI document."""
    if scope not in tokens.SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            token = authenticate()
            if scope not in token.scopes:
                raise Problem(403, "insufficient-scope",
                              f"this operation needs the {scope} scope; the token has {', '.join(token.scopes)}",
                              headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'},
                              required_scope=scope)
            g.api_token = token
            return view(*args, **kwargs)

        return Blueprint.doc(security=[{SCHEME: [scope]}])(guarded)

    return decorator


def rate_limit_key() -> str:
    """Count per token: a digest of the presented secret (valid or not, known before any
    database lookup), else per address."""
    secret = bearer_secret()
    if secret is None:
        return f"api-address:{get_remote_address()}"
    return "api-token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]
