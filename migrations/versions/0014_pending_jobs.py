"""pending jobs: web requests' jobs kept while the broker is unreachable

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 13:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.core.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("kwargs", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pending_jobs_created_at", "pending_jobs", ["created_at"])


def downgrade():
    op.drop_index("ix_pending_jobs_created_at", table_name="pending_jobs")
    op.drop_table("pending_jobs")
