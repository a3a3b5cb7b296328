"""Assignments: the score policy (latest or best) that decides which graded submission counts.

Revision ID: d52e9f3a6b18
Revises: c41d8e2f5a07
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d52e9f3a6b18"
down_revision = "c41d8e2f5a07"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("score_policy", sa.Enum("latest", "best", name="scorepolicy", native_enum=False,
                                                           length=16),
                                   server_default="latest", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("score_policy")
