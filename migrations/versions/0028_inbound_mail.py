"""inbound mail: the inbound ledger, project mail-in addresses, bounce state on users

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 21:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

KINDS = ("reply", "mail_in", "bounce", "auto_reply", "unknown")
OUTCOMES = (
    "commented",
    "completed",
    "created",
    "bounce_recorded",
    "ignored",
    "refused",
    "rate_limited",
    "too_large",
)
ANSWERS = ("none", "pending", "sent", "suppressed", "failed")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=16, create_constraint=True)


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("email_undeliverable_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("email_undeliverable_reason", sa.String(255)))
        batch.add_column(
            sa.Column("email_soft_bounces", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column(
                "reply_done_completes", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "inbound_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("message_key", sa.String(255), nullable=False, unique=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        sa.Column("recipient", sa.String(320), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("transport", sa.String(16), nullable=False),
        sa.Column("kind", _enum("inboundkind", KINDS), nullable=False),
        sa.Column("outcome", _enum("inboundoutcome", OUTCOMES), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="SET NULL")),
        sa.Column("comment_id", sa.Integer(), sa.ForeignKey("comments.id", ondelete="SET NULL")),
        sa.Column(
            "delivery_id", sa.Integer(), sa.ForeignKey("deliveries.id", ondelete="SET NULL")
        ),
        sa.Column("answer_status", _enum("answerstatus", ANSWERS), nullable=False),
        sa.Column("answer_message_id", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_inbound_messages_received_at", "inbound_messages", ["received_at"])
    op.create_index(
        "ix_inbound_messages_sender_received", "inbound_messages", ["sender", "received_at"]
    )
    op.create_table(
        "project_inbound_addresses",
        sa.Column(
            "project_id",
            sa.Integer(),
            sa.ForeignKey("projects.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("token", sa.String(32), nullable=False, unique=True),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade():
    op.drop_table("project_inbound_addresses")
    op.drop_index("ix_inbound_messages_sender_received", table_name="inbound_messages")
    op.drop_index("ix_inbound_messages_received_at", table_name="inbound_messages")
    op.drop_table("inbound_messages")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("reply_done_completes")
        batch.drop_column("email_soft_bounces")
        batch.drop_column("email_undeliverable_reason")
        batch.drop_column("email_undeliverable_at")
