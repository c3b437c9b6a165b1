"""deliveries.sweep_after: when a row still owed may be taken for orphaned and queued again

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa

from app.core.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sweep_after", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_deliveries_status_sweep_after", ["status", "sweep_after"])


def downgrade():
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_status_sweep_after")
        batch_op.drop_column("sweep_after")
