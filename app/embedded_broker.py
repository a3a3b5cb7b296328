"""kombu's SQLAlchemy transport with a short polling interval, for the embedded SQLite broker.

That transport hands every transport option to `create_engine()`, so `polling_interval` cannot
be passed as an option like for the filesystem transport; a subclass sets it instead."""

from __future__ import annotations

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

ALIAS = "sqla-fast"


class FastPollingSQLAlchemyTransport(SQLAlchemyTransport):
    polling_interval = 0.05


def register() -> None:
    TRANSPORT_ALIASES[ALIAS] = f"{__name__}:FastPollingSQLAlchemyTransport"
