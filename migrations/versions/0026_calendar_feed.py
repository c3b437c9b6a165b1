"""Issue 19, calendar feed: each person's private feed token (its hash only)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 18:30:00

"""

import sqlalchemy as sa
from alembic import op

from app.core.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "calendar_feeds",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_calendar_feeds_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name="pk_calendar_feeds"),
        sa.UniqueConstraint("token_hash", name="uq_calendar_feeds_token_hash"),
    )


def downgrade():
    op.drop_table("calendar_feeds")
