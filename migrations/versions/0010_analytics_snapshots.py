"""analytics snapshots

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 09:25:00.000000

"""
from alembic import op
import sqlalchemy as sa
import app.core.database


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('analytics_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.Enum('project', 'user', name='analyticsscope', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', app.core.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analytics_snapshots')),
    sa.UniqueConstraint('scope', 'scope_id', name=op.f('uq_analytics_snapshots_scope'))
    )


def downgrade():
    op.drop_table('analytics_snapshots')
