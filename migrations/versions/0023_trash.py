"""Issue 19, trash: an index for a project's Trash page (its columns came with 0022)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 18:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.create_index("ix_tasks_project_deleted", ["project_id", "deleted_at"])


def downgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_index("ix_tasks_project_deleted")
