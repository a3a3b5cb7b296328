"""Result documents compressed with lz4 instead of pglz on PostgreSQL: every graded submission
writes one (about 25 KB for hw1), and lz4 compresses it in a fraction of pglz's CPU.

Only where the server can (PostgreSQL 14 or later, built with lz4); elsewhere, SQLite
included, nothing changes. Rows already stored keep their compression until rewritten.

Revision ID: b3d7f1e9c052
Revises: a8e41c6b2d97
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3d7f1e9c052"
down_revision = "a8e41c6b2d97"
branch_labels = None
depends_on = None


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    if int(bind.execute(sa.text("SHOW server_version_num")).scalar_one()) < 140000:
        return False
    # default_toast_compression accepts 'lz4' only on a server built with it.
    options = bind.execute(sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")).scalar()
    return bool(options) and "lz4" in options


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE submissions ALTER COLUMN result SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE submissions ALTER COLUMN result SET COMPRESSION default")
