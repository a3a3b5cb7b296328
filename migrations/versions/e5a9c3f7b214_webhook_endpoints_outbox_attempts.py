"""Outgoing webhooks: the endpoints of a course's integrations (URL, event types, the secret and
the previous one during a rotation, enabled or disabled and why), the outbox of messages (the
exact body bytes of each event for each endpoint, with its delivery state) and every delivery
attempt.

Revision ID: e5a9c3f7b214
Revises: d52e9f3a6b18
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5a9c3f7b214"
down_revision = "d52e9f3a6b18"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("previous_secret", sa.String(length=100), nullable=True),
        sa.Column("previous_secret_expires_at", UTC, nullable=True),
        sa.Column("state", sa.Enum("enabled", "disabled", name="endpointstate", native_enum=False, length=16),
                  nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("disabled_at", UTC, nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_success_at", UTC, nullable=True),
        sa.Column("last_failure_at", UTC, nullable=True),
        sa.Column("created_by_token_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], name=op.f("fk_webhook_endpoints_course_id_courses"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_token_id"], ["api_tokens.id"],
                                name=op.f("fk_webhook_endpoints_created_by_token_id_api_tokens"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_endpoints_course_id"), ["course_id"], unique=False)

    op.create_table(
        "webhook_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("msg_id", sa.String(length=40), nullable=False),
        sa.Column("endpoint_id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.Enum("pending", "delivered", "failed", name="messagestatus", native_enum=False,
                                    length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("replay_offset", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=True),
        sa.Column("locked_until", UTC, nullable=True),
        sa.Column("enqueued_at", UTC, nullable=True),
        sa.Column("delivered_at", UTC, nullable=True),
        sa.Column("failed_at", UTC, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["endpoint_id"], ["webhook_endpoints.id"],
                                name=op.f("fk_webhook_messages_endpoint_id_webhook_endpoints"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["submission_id"], ["submissions.id"],
                                name=op.f("fk_webhook_messages_submission_id_submissions"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_messages")),
        sa.UniqueConstraint("msg_id", name=op.f("uq_webhook_messages_msg_id")),
    )
    with op.batch_alter_table("webhook_messages", schema=None) as batch_op:
        batch_op.create_index("ix_webhook_messages_status_next_attempt_at", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index("ix_webhook_messages_endpoint_id_id", ["endpoint_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_webhook_messages_submission_id"), ["submission_id"], unique=False)

    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("attempted_at", UTC, nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("response_excerpt", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["webhook_messages.id"],
                                name=op.f("fk_webhook_attempts_message_id_webhook_messages"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempts")),
    )
    with op.batch_alter_table("webhook_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_attempts_message_id"), ["message_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("webhook_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_attempts_message_id"))
    op.drop_table("webhook_attempts")

    with op.batch_alter_table("webhook_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_messages_submission_id"))
        batch_op.drop_index("ix_webhook_messages_endpoint_id_id")
        batch_op.drop_index("ix_webhook_messages_status_next_attempt_at")
    op.drop_table("webhook_messages")

    with op.batch_alter_table("webhook_endpoints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_endpoints_course_id"))
    op.drop_table("webhook_endpoints")
