"""Issue 19's shared data: the Trash on tasks and projects, a board position, labels and
checklists

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 18:30:00

"""

import sqlalchemy as sa
from alembic import op

from app.core.database import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("board_position", sa.Float(), nullable=True))
        batch_op.create_index("ix_tasks_deleted_at", ["deleted_at"])
        batch_op.create_foreign_key(
            "fk_tasks_deleted_by_id_users", "users", ["deleted_by_id"], ["id"], ondelete="SET NULL"
        )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deleted_by_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_projects_deleted_at", ["deleted_at"])
        batch_op.create_foreign_key(
            "fk_projects_deleted_by_id_users",
            "users",
            ["deleted_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_table(
        "labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name="fk_labels_project_id_projects",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_labels"),
        sa.UniqueConstraint("project_id", "name", name="uq_labels_project_name"),
    )
    op.create_index("ix_labels_project_id", "labels", ["project_id"])
    op.create_table(
        "task_labels",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["label_id"], ["labels.id"], name="fk_task_labels_label_id_labels", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name="fk_task_labels_task_id_tasks", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("task_id", "label_id", name="pk_task_labels"),
    )
    op.create_index("ix_task_labels_label_id", "task_labels", ["label_id"])
    op.create_table(
        "checklist_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column("done_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name="fk_checklist_items_task_id_tasks", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["done_by_id"],
            ["users.id"],
            name="fk_checklist_items_done_by_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_items"),
    )
    op.create_index(
        "ix_checklist_items_task_position", "checklist_items", ["task_id", "position"]
    )


def downgrade():
    op.drop_index("ix_checklist_items_task_position", table_name="checklist_items")
    op.drop_table("checklist_items")
    op.drop_index("ix_task_labels_label_id", table_name="task_labels")
    op.drop_table("task_labels")
    op.drop_index("ix_labels_project_id", table_name="labels")
    op.drop_table("labels")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_constraint("fk_projects_deleted_by_id_users", type_="foreignkey")
        batch_op.drop_index("ix_projects_deleted_at")
        batch_op.drop_column("deleted_by_id")
        batch_op.drop_column("deleted_at")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_constraint("fk_tasks_deleted_by_id_users", type_="foreignkey")
        batch_op.drop_index("ix_tasks_deleted_at")
        batch_op.drop_column("board_position")
        batch_op.drop_column("deleted_by_id")
        batch_op.drop_column("deleted_at")
