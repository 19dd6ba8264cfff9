"""The reason a revision was issued for (what was corrected and why), sealed like the content
since it is typed text; revision 1 has none.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0016', '0015', None, None


def upgrade():
    with op.batch_alter_table('record_revisions') as batch_op:
        batch_op.add_column(sa.Column('reason', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('record_revisions') as batch_op:
        batch_op.drop_column('reason')
