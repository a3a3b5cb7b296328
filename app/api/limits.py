"""Rate limits of the API, per token (flask-limiter, on the app's one Limiter): a limit for
every request, and a tighter one for sending submissions. The numbers are settings
(API_RATE_LIMIT, API_SUBMIT_RATE_LIMIT); a 429 carries Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app

from app.api.auth import rate_limit_key
from app.extensions import limiter


def per_token(blueprint: Blueprint) -> None:
    """Every route of `blueprint` counts against the token's API_RATE_LIMIT."""
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_limit_key)(blueprint)


def submissions(view: Callable[..., Any]) -> Callable[..., Any]:
    """Also count against API_SUBMIT_RATE_LIMIT (on top of the blueprint's limit)."""
    return limiter.limit(lambda: current_app.config["API_SUBMIT_RATE_LIMIT"], key_func=rate_limit_key,
                         override_defaults=False, scope="api-submit")(view)
