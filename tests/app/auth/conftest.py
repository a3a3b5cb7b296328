"""Fixtures of the account tests: failed-login counts start from zero in every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import limiter


@pytest.fixture(autouse=True)
def fresh_throttle(app_context: Flask) -> Iterator[None]:
    limiter.reset()
    yield
    limiter.reset()
