"""Batches kept as history: each uploaded spreadsheet (its team, its sealed file name, what the ZIP
holds, what to do with people who already have a document) and what became of each of its rows
(the record and number issued, or why it was left out). Batches issued before keep no history.
A job's part gets room for a second file (a batch document's PDF beside its Word copy).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0015', '0014', None, None


def upgrade():
    op.create_table(
        'batches',
        sa.Column('id', sa.String(length=32), primary_key=True),
        sa.Column('team_id', sa.Integer(), sa.ForeignKey('teams.id', ondelete='RESTRICT'),
                  nullable=False),
        sa.Column('owner_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('document_key', sa.String(length=80), nullable=False),
        sa.Column('sealed_name', sa.LargeBinary(), nullable=True),
        sa.Column('output', sa.String(length=8), nullable=False),
        sa.Column('duplicates', sa.String(length=8), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False))
    op.create_index('ix_batches_team_id', 'batches', ['team_id'])
    op.create_index('ix_batches_created_at', 'batches', ['created_at'])
    op.create_table(
        'batch_rows',
        sa.Column('batch_id', sa.String(length=32),
                  sa.ForeignKey('batches.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('row', sa.Integer(), primary_key=True),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('record_id', sa.Integer(), sa.ForeignKey('records.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('number', sa.String(length=60), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=True),
        sa.Column('same_as', sa.Integer(), nullable=True))
    with op.batch_alter_table('job_parts') as batch_op:
        batch_op.add_column(sa.Column('extra', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('job_parts') as batch_op:
        batch_op.drop_column('extra')
    op.drop_table('batch_rows')
    op.drop_index('ix_batches_created_at', 'batches')
    op.drop_index('ix_batches_team_id', 'batches')
    op.drop_table('batches')
