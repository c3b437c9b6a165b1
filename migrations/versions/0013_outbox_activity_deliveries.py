"""outbox: task-activity emails in the delivery ledger

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 10:35:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_KINDS = ("task_reminder", "overdue_alert", "weekly_summary", "daily_report")
NEW_KINDS = OLD_KINDS + ("task_activity",)
TABLES = ("deliveries", "email_preferences")


def kind_type(kinds):
    return sa.Enum(*kinds, name="emailkind", native_enum=False, create_constraint=True, length=32)


def _change_kinds(old, new):
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "kind", existing_type=kind_type(old), type_=kind_type(new), existing_nullable=False
            )


def upgrade():
    _change_kinds(OLD_KINDS, NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM deliveries WHERE kind = 'task_activity'")
    op.execute("DELETE FROM email_preferences WHERE kind = 'task_activity'")
    _change_kinds(NEW_KINDS, OLD_KINDS)
