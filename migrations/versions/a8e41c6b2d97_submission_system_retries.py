"""Automatic retries of system errors: how many times the sweeper has graded a failed
submission again, so it stops after NABLAGRADE_ERROR_RETRY_DELAYS runs out.

Revision ID: a8e41c6b2d97
Revises: f7c2d9a4e610
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a8e41c6b2d97"
down_revision = "f7c2d9a4e610"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.add_column(sa.Column("system_retries", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("submissions") as batch:
        batch.drop_column("system_retries")
