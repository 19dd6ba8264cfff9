"""The saved record whose copy a job makes: a record's PDF follows the record's need-to-know.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0010', '0009', None, None


def upgrade():
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.add_column(sa.Column('record_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_jobs_record_id'), ['record_id'])
        batch_op.create_foreign_key(batch_op.f('fk_jobs_record_id_records'), 'records',
                                    ['record_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('jobs') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_jobs_record_id_records'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_jobs_record_id'))
        batch_op.drop_column('record_id')
