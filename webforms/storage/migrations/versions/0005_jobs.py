"""Jobs done by the job consumer (batches, PDFs, the purge) and the finished parts of a batch.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0005', '0004', None, None


def upgrade():
    moment = sa.DateTime(timezone=True)
    op.create_table(
        'jobs',
        sa.Column('id', sa.String(length=32), primary_key=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('owner_id', sa.Integer(), sa.ForeignKey(
            'users.id', name=op.f('fk_jobs_owner_id_users'), ondelete='SET NULL'), nullable=True),
        *[sa.Column(name, sa.String(length=length), nullable=True) for name, length in (
            ('document_key', 80), ('dedupe_key', 64), ('label', 255), ('locale', 8),
            ('error', 40), ('result_name', 255), ('result_mimetype', 100))],
        *[sa.Column(name, sa.Integer(), nullable=False) for name in ('done', 'total', 'attempts')],
        *[sa.Column(name, sa.LargeBinary(), nullable=True) for name in ('payload', 'result')],
        *[sa.Column(name, moment, nullable=False) for name in ('created_at', 'updated_at')],
        sa.Column('finished_at', moment, nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')))
    op.create_index(op.f('ix_jobs_dedupe_key'), 'jobs', ['dedupe_key'])
    op.create_index('ix_jobs_state_updated', 'jobs', ['state', 'updated_at'])
    op.create_table(
        'job_parts',
        sa.Column('job_id', sa.String(length=32), sa.ForeignKey(
            'jobs.id', name=op.f('fk_job_parts_job_id_jobs'), ondelete='CASCADE'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('job_id', 'position', name=op.f('pk_job_parts')))


def downgrade():
    op.drop_table('job_parts')
    op.drop_index('ix_jobs_state_updated', table_name='jobs')
    op.drop_index(op.f('ix_jobs_dedupe_key'), table_name='jobs')
    op.drop_table('jobs')
