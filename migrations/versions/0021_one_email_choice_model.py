"""One table of email choices: email_preferences and notification_preferences become email_choices

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 17:00:00

A digest choice (email_preferences) becomes a row (kind, channel "email"); a task-event choice
(notification_preferences) becomes up to two rows, "email" and "in_app", written only where the
person turned a channel off (a missing row is on, as before). Per-project mutes are new and
have no old form: downgrade drops them. Downgrade rebuilds both old tables from the rows.
"""

import sqlalchemy as sa
from alembic import op

import app.core.database

# revision identifiers, used by Alembic.
revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

DIGEST_KINDS = ("task_reminder", "overdue_alert", "weekly_summary", "daily_report")
STAMPS = "created_at, updated_at"


def upgrade():
    op.create_table(
        "email_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_email_choices_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_choices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_choices")),
        sa.UniqueConstraint(
            "user_id", "kind", "channel", "project_id", name="uq_email_choices_user_kind_where"
        ),
    )
    with op.batch_alter_table("email_choices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_choices_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_email_choices_user_id"), ["user_id"], unique=False)

    op.execute(
        f"INSERT INTO email_choices (user_id, kind, channel, project_id, enabled, {STAMPS}) "
        f"SELECT user_id, kind, 'email', NULL, enabled, {STAMPS} FROM email_preferences"
    )
    for channel in ("email", "in_app"):
        op.execute(
            f"INSERT INTO email_choices (user_id, kind, channel, project_id, enabled, {STAMPS}) "
            f"SELECT user_id, kind, '{channel}', NULL, {channel}, {STAMPS} "
            f"FROM notification_preferences WHERE NOT {channel}"
        )
    op.drop_table("notification_preferences")
    op.drop_table("email_preferences")


def turned_on(channel: str) -> str:
    """On unless a row of this channel turned it off (MIN of booleans is not PostgreSQL's)."""
    return f"(COALESCE(MIN(CASE WHEN channel = '{channel}' AND NOT enabled THEN 0 END), 1) = 1)"


def downgrade():
    op.create_table(
        "email_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                *DIGEST_KINDS,
                name="emailkind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_email_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_preferences")),
        sa.UniqueConstraint("user_id", "kind", name="uq_email_preferences_user_kind"),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("in_app", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.database.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_preferences")),
        sa.UniqueConstraint("user_id", "kind", name="uq_notification_preferences_user_kind"),
    )
    digests = ", ".join(f"'{kind}'" for kind in DIGEST_KINDS)
    op.execute(
        f"INSERT INTO email_preferences (user_id, kind, enabled, {STAMPS}) "
        f"SELECT user_id, kind, enabled, {STAMPS} FROM email_choices "
        f"WHERE project_id IS NULL AND channel = 'email' AND kind IN ({digests})"
    )
    # One row per (person, event kind), each channel on unless a row turned it off.
    op.execute(
        f"INSERT INTO notification_preferences (user_id, kind, email, in_app, {STAMPS}) "
        f"SELECT user_id, kind, "
        f"{turned_on('email')}, {turned_on('in_app')}, "
        f"MIN(created_at), MAX(updated_at) FROM email_choices "
        f"WHERE project_id IS NULL AND kind NOT IN ({digests}) AND kind <> 'all_task' "
        f"GROUP BY user_id, kind"
    )
    with op.batch_alter_table("email_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_choices_user_id"))
        batch_op.drop_index(batch_op.f("ix_email_choices_project_id"))
    op.drop_table("email_choices")
