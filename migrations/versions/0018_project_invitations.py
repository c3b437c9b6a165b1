"""project invitations: add-member emails an address instead of saying whether it has an account

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 10:00:00

"""

from alembic import op
import sqlalchemy as sa

from app.core.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "project_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("invited_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("invited_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=True),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_invitations_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_id"],
            ["users.id"],
            name=op.f("fk_project_invitations_invited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_invitations")),
        sa.UniqueConstraint(
            "project_id", "email", name=op.f("uq_project_invitations_project_id")
        ),
        sa.UniqueConstraint("token_hash", name=op.f("uq_project_invitations_token_hash")),
    )
    op.create_index(
        op.f("ix_project_invitations_invited_by_id"), "project_invitations", ["invited_by_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_project_invitations_invited_by_id"), table_name="project_invitations")
    op.drop_table("project_invitations")
