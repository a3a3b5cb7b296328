"""Flask extensions as module globals, bound to an app in create_app()."""

from __future__ import annotations

from flask import Response
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic migrations are stable and SQLite batch mode can alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()

# One limiter for the whole app (API tokens, logins): its storage and headers come from the
# RATELIMIT_* settings in app.config; each use names its own limits and key.
limiter = Limiter(key_func=get_remote_address)


def retry_after_only_on_refusals(response: Response) -> Response:
    """flask-limiter puts Retry-After on every answer when its headers are on; the header only
    means something on a 429 or a 503, so a client is not told to wait after a 200."""
    if response.status_code not in (429, 503):
        response.headers.pop("Retry-After", None)
    return response
login_manager = LoginManager()
csrf = CSRFProtect()
