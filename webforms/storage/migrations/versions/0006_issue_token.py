"""The token of the form page that issued a record: the same page sent again finds its record.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0006', '0005', None, None


def upgrade():
    with op.batch_alter_table('records') as batch_op:
        batch_op.add_column(sa.Column('issue_token', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_records_issue_token'), ['issue_token'])


def downgrade():
    with op.batch_alter_table('records') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_records_issue_token'), type_='unique')
        batch_op.drop_column('issue_token')
