"""labels: one name per project whatever the case, kept by a unique index on lower(name)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 19:45:00

The labels service already refuses "ops" beside "Ops"; the index settles two people creating
them at the same moment. Existing duplicates (possible only through that race) would make it
fail: they are renamed first ("ops (2)").
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def rename_duplicates() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, project_id, name FROM labels ORDER BY project_id, id")
    ).all()
    seen: set[tuple[int, str]] = set()
    for label_id, project_id, name in rows:
        key = (project_id, name.lower())
        if key not in seen:
            seen.add(key)
            continue
        number = 2
        while (project_id, f"{name} ({number})".lower()) in seen:
            number += 1
        renamed = f"{name[:34]} ({number})"
        seen.add((project_id, renamed.lower()))
        connection.execute(
            sa.text("UPDATE labels SET name = :name WHERE id = :id"),
            {"name": renamed, "id": label_id},
        )


def upgrade():
    rename_duplicates()
    op.create_index(
        "uq_labels_project_lower_name",
        "labels",
        ["project_id", sa.text("lower(name)")],
        unique=True,
    )


def downgrade():
    op.drop_index("uq_labels_project_lower_name", table_name="labels")
