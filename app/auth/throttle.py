"""Failed logins counted per account and per client address, in the app's flask-limiter storage
(app.extensions.limiter: Redis when the broker is Redis, so every web process shares the counts;
memory in the embedded demo).

Only failures count, so a class logging in from one lab's address is never slowed down. Once
either count is full, even the right password is refused until the window moves on: that is
what stops guessing. The account key is the address as typed, whether or not an account has it,
so being refused tells nothing about which accounts exist.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from app.extensions import limiter as app_limiter

log = logging.getLogger(__name__)
EXTENSION = "nablagrade.throttle"


@dataclass
class Throttle:
    limiter: Limiter
    per_account: list[RateLimitItem]
    per_address: list[RateLimitItem]
    prefix: str

    def _keys(self, scope: str, account: str, address: str) -> list[tuple[RateLimitItem, list[str]]]:
        account = account.strip().lower()
        keys = [(item, [self.prefix, f"{scope}-address", address]) for item in self.per_address]
        if account:
            keys += [(item, [self.prefix, f"{scope}-account", account]) for item in self.per_account]
        return keys

    def retry_after(self, scope: str, account: str, address: str | None = None) -> int | None:
        """Seconds until another attempt is allowed, or None when one is allowed now."""
        address = address or client_address()
        waits = []
        try:
            for item, key in self._keys(scope, account, address):
                if not self.limiter.limiter.test(item, *key):
                    stats = self.limiter.limiter.get_window_stats(item, *key)
                    waits.append(max(1, math.ceil(stats.reset_time - time.time())))
        except Exception:  # a throttle that cannot count must not lock everyone out
            log.warning("login throttle storage unavailable; attempt allowed", exc_info=True)
            return None
        return max(waits) if waits else None

    def failed(self, scope: str, account: str, address: str | None = None) -> None:
        address = address or client_address()
        try:
            for item, key in self._keys(scope, account, address):
                self.limiter.limiter.hit(item, *key)
        except Exception:
            log.warning("login throttle storage unavailable; failure not counted", exc_info=True)

    def succeeded(self, scope: str, account: str) -> None:
        """A right password clears the account's failures (not the address's)."""
        try:
            for item, key in self._keys(scope, account, "-"):
                if key[1].endswith("-account"):
                    self.limiter.limiter.clear(item, *key)
        except Exception:
            log.warning("login throttle storage unavailable", exc_info=True)


def client_address() -> str:
    # Behind a proxy, wrap the app in Werkzeug's ProxyFix so this is the client, not the proxy.
    return get_remote_address() or "unknown"


def throttle() -> Throttle:
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def init_app(app: Flask) -> None:
    """The login limits of this app, counted with the app's limiter (after limiter.init_app)."""
    app.extensions[EXTENSION] = Throttle(app_limiter, parse_many(app.config["LOGIN_LIMITS_PER_ACCOUNT"]),
                                         parse_many(app.config["LOGIN_LIMITS_PER_ADDRESS"]),
                                         app.config.get("RATELIMIT_KEY_PREFIX") or "nablagrade")


def wait_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"

