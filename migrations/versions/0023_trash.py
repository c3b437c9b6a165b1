"""Issue 19, trash: this feature's own schema (a slot reserved so parallel work chains)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 18:30:00

"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
