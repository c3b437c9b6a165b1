"""Issue 19, calendar feed: this feature's own schema (a slot reserved so parallel work chains)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 18:30:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
