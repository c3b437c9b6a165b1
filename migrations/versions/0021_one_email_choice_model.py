"""One table of email choices: email_preferences, notification_preferences and the digest
settings on users become email_choices

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 17:00:00

A digest choice (email_preferences) becomes a row (kind, channel "email"); a task-event choice
(notification_preferences) becomes up to two rows, "email" and "in_app", written only where the
person turned a channel off (a missing row is on, as before). The digest settings on users
become rows too: workdays_only and deadline_alerts_per_task (on) where they were set, and a
pause as all_digests off until its day; the columns go. Per-project mutes are new and have no
old form: downgrade drops them. Downgrade rebuilds the old tables and columns from the rows.
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
EVENT_KINDS = (
    "assigned", "status_changed", "mentioned", "commented", "reminder", "deadline", "escalated"
)
STAMPS = "created_at, updated_at"
# The boolean digest settings on users, and their kinds in email_choices.
SETTINGS = (
    ("digest_workdays_only", "workdays_only"),
    ("deadline_alerts_per_task", "deadline_alerts_per_task"),
)
# A literal false both databases take.
FALSE = "(1 = 0)"


def upgrade():
    op.create_table(
        "email_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
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
    for column, kind in SETTINGS:
        op.execute(
            f"INSERT INTO email_choices (user_id, kind, channel, project_id, enabled, {STAMPS}) "
            f"SELECT id, '{kind}', 'email', NULL, {column}, {STAMPS} FROM users WHERE {column}"
        )
    op.execute(
        f"INSERT INTO email_choices (user_id, kind, channel, project_id, enabled, until, {STAMPS}) "
        f"SELECT id, 'all_digests', 'email', NULL, {FALSE}, digests_paused_until, {STAMPS} "
        f"FROM users WHERE digests_paused_until IS NOT NULL"
    )
    op.drop_table("notification_preferences")
    op.drop_table("email_preferences")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("deadline_alerts_per_task")
        batch_op.drop_column("digests_paused_until")
        batch_op.drop_column("digest_workdays_only")


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
    events = ", ".join(f"'{kind}'" for kind in EVENT_KINDS)
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
        f"WHERE project_id IS NULL AND kind IN ({events}) "
        f"GROUP BY user_id, kind"
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in ("digest_workdays_only", "deadline_alerts_per_task"):
            batch_op.add_column(
                sa.Column(column, sa.Boolean(), server_default=sa.false(), nullable=False)
            )
        batch_op.add_column(sa.Column("digests_paused_until", sa.Date(), nullable=True))
    for column, kind in SETTINGS:
        op.execute(
            f"UPDATE users SET {column} = (1 = 1) WHERE id IN (SELECT user_id FROM email_choices "
            f"WHERE kind = '{kind}' AND project_id IS NULL AND enabled)"
        )
    op.execute(
        "UPDATE users SET digests_paused_until = (SELECT MAX(until) FROM email_choices "
        "WHERE email_choices.user_id = users.id AND kind = 'all_digests' AND NOT enabled) "
        "WHERE id IN (SELECT user_id FROM email_choices WHERE kind = 'all_digests' AND NOT enabled)"
    )
    with op.batch_alter_table("email_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_choices_user_id"))
        batch_op.drop_index(batch_op.f("ix_email_choices_project_id"))
    op.drop_table("email_choices")
