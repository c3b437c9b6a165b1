"""Issue 19, board: this feature's own schema (a slot reserved so parallel work chains)

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 18:30:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
