"""accounts: each person's language

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(16), nullable=False, server_default="en"))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
