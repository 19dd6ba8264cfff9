"""Forms submitted after the session expired, kept encrypted until their author signs in again.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = "0002", "0001", None, None


def upgrade():
    op.create_table(
        "pending_submissions",
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("browser_hash", sa.String(length=64), nullable=False),
        sa.Column("document_key", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_pending_submissions")),
    )


def downgrade():
    op.drop_table("pending_submissions")
