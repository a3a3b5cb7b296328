"""Regrade dry runs: which scores a regrade would change, computed by a worker before anything
is committed.

Revision ID: f7c2d9a4e610
Revises: d5a9e3b7c214
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f7c2d9a4e610"
down_revision = "d5a9e3b7c214"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regrade_previews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignments.id"],
                                name=op.f("fk_regrade_previews_assignment_id_assignments"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"],
                                name=op.f("fk_regrade_previews_requested_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_regrade_previews_submission_id_submissions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regrade_previews")),
    )
    with op.batch_alter_table("regrade_previews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regrade_previews_assignment_id"), ["assignment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("regrade_previews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regrade_previews_assignment_id"))
    op.drop_table("regrade_previews")
