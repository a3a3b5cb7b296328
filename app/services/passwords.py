"""Password hashes and the rules a new password must meet.

Hashes are argon2id with the parameters of the PASSWORD_HASH setting (argon2-cffi's defaults,
RFC 9106's low-memory choice, unless configured). A hash made with other parameters, or by
Werkzeug (pbkdf2 or scrypt, what the first version of the service stored), still verifies and is
replaced by a current hash at the next successful login.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash

from app.models import User
from app.services.errors import ServiceError

MIN_LENGTH = 10
MAX_LENGTH = 256  # argon2 takes any length; the cap only bounds the work a request can ask for
MIN_DISTINCT = 5
WERKZEUG_METHODS = ("pbkdf2:", "scrypt:")

# Runs and common choices that meet the length rule: what a guessing attack tries first.
RUNS = ("abcdefghijklmnopqrstuvwxyz", "0123456789012345678901234567890", "qwertyuiopasdfghjklzxcvbnm",
        "1q2w3e4r5t6y7u8i9o0p", "azertyuiopqsdfghjklmwxcvbn", "qwertzuiopasdfghjklyxcvbnm")
COMMON = frozenset({
    "password12", "password123", "password1234", "passw0rd123", "iloveyou12", "iloveyou123", "1q2w3e4r5t",
    "qwerty1234", "qwerty12345", "1qaz2wsx3edc", "zaq12wsxcde3", "1234qwer!@", "letmein123", "welcome123",
    "welcome1234", "football12", "baseball12", "sunshine12", "princess12", "starwars12", "trustno1trustno1",
    "changeme123", "administrator", "superman123", "qwertyuiop123", "monkey12345", "dragon12345",
    "nablagrade", "nablagrade1", "nablagrade123", "gradescope", "gradescope1", "autograder", "autograder1",
    "homework123", "student123", "student1234", "university", "university1", "password!!", "p@ssw0rd123",
})


MISMATCH = "The two passwords do not match."


class PasswordRejected(ServiceError):
    """A new password that breaks a rule: `problems` lists every rule it breaks, and `mismatch`
    says that its confirmation differs (a form shows each beside its own field)."""

    def __init__(self, problems: list[str], mismatch: bool = False) -> None:
        super().__init__(" ".join(problems + ([MISMATCH] if mismatch else [])))
        self.problems = problems
        self.mismatch = mismatch


class WrongPassword(ServiceError):
    """The current password given to confirm a change is not the user's."""


@dataclass(frozen=True)
class HashParameters:
    time_cost: int = 3
    memory_cost: int = 65536  # KiB
    parallelism: int = 4


def parameters() -> HashParameters:
    configured: dict[str, Any] = current_app.config.get("PASSWORD_HASH") or {}
    return HashParameters(**configured)


_hashers: dict[HashParameters, PasswordHasher] = {}
_dummies: dict[HashParameters, str] = {}


def hasher() -> PasswordHasher:
    params = parameters()
    if params not in _hashers:
        _hashers[params] = PasswordHasher(time_cost=params.time_cost, memory_cost=params.memory_cost,
                                          parallelism=params.parallelism)
    return _hashers[params]


def hash_password(password: str) -> str:
    return hasher().hash(password)


def set_password(user: User, password: str) -> None:
    """Store a hash of `password` (no rules checked: callers that take a password from a
    person check it with `check_new_password` first). The caller commits."""
    user.password_hash = hash_password(password)


def burn_time(password: str) -> None:
    """Verify against a throwaway hash with the current parameters, so that asking about an
    account that does not exist (or has no password yet) takes as long as a wrong password."""
    params = parameters()
    if params not in _dummies:
        _dummies[params] = hasher().hash(secrets.token_urlsafe(16))
    try:
        hasher().verify(_dummies[params], password)
    except VerificationError:
        pass


def verify(user: User, password: str) -> bool:
    """Whether `password` is the user's; a hash that is not current (other argon2 parameters, or
    Werkzeug's) is replaced by a current one on success. The caller commits."""
    stored = user.password_hash
    if not stored:
        burn_time(password)
        return False
    if stored.startswith(WERKZEUG_METHODS):
        if not check_password_hash(stored, password):
            return False
        set_password(user, password)
        return True
    try:
        hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher().check_needs_rehash(stored):
        set_password(user, password)
    return True


def _is_run(password: str) -> bool:
    lowered = password.lower()
    return any(lowered in run or lowered in run[::-1] for run in RUNS)


def problems_with(password: str, user: User | None = None) -> list[str]:
    """Every rule `password` breaks, each as a sentence a person can act on; empty when it is fine.

    The rules follow the usual advice for passwords people choose (length over composition):
    long enough, not a well-known or keyboard-run password, not the account's own name or address."""
    found: list[str] = []
    if len(password) < MIN_LENGTH:
        found.append(f"Use at least {MIN_LENGTH} characters (this one has {len(password)}).")
    elif len(password) > MAX_LENGTH:
        found.append(f"Use at most {MAX_LENGTH} characters (this one has {len(password)}).")
    if password != password.strip() and password.strip():
        found.append("Do not start or end with a space.")
    if len(password) >= MIN_LENGTH:
        lowered = password.lower()
        if lowered in COMMON or _is_run(password):
            found.append("This password is one of the first that attackers try; choose a less common one.")
        elif len(set(lowered)) < MIN_DISTINCT:
            found.append(f"Use at least {MIN_DISTINCT} different characters.")
        elif user is not None and _is_personal(lowered, user):
            found.append("Do not use your name or email address as your password.")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in password):
        found.append("Use only characters you can type: no control characters.")
    return found


def _is_personal(lowered: str, user: User) -> bool:
    email = (user.email or "").lower()
    personal = {email, email.split("@")[0], (user.name or "").lower(), (user.name or "").lower().replace(" ", "")}
    squeezed = lowered.replace(" ", "")
    return any(word and (lowered == word or squeezed == word) for word in personal)


def check_new_password(password: str, confirmation: str | None = None, user: User | None = None) -> None:
    """Raise PasswordRejected listing every problem with a new password (and its confirmation)."""
    found = problems_with(password, user)
    mismatch = confirmation is not None and confirmation != password
    if found or mismatch:
        raise PasswordRejected(found, mismatch)
