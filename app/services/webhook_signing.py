"""Standard Webhooks signatures: `whsec_` secrets, message ids, and the `webhook-*` headers.

The signed content is `<webhook-id>.<webhook-timestamp>.<body>` with HMAC-SHA256, written as
`v1,<base64>`; several signatures are separated by spaces, which is how a receiver keeps
verifying while an endpoint's secret is rotated (the old and the new secret both sign)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Sequence

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes
MESSAGE_PREFIX = "msg_"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def new_message_id(now: float | None = None) -> str:
    """`msg_` + a ULID: 48 bits of milliseconds then 80 random bits, so ids sort by creation."""
    millis = int((time.time() if now is None else now) * 1000) & ((1 << 48) - 1)
    value = (millis << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return MESSAGE_PREFIX + "".join(reversed(chars))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    content = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(secret_key(secret), content, hashlib.sha256).digest()).decode()


def headers(msg_id: str, body: bytes, signing_secrets: Sequence[str], timestamp: int | None = None) -> dict[str, str]:
    """The three headers of one attempt, signed with every secret given (the current one first)."""
    if not signing_secrets:
        raise ValueError("at least one secret signs a message")
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(secret, msg_id, timestamp, body) for secret in signing_secrets),
    }
