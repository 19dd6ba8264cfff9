"""The bytes of every issued copy, kept sealed: a download sends the file that was issued, and a
file presented to /verificar is recognised by its SHA-256 (the Word revisions' hashes, indexed,
recognise the copies issued before). Records issued before keep no bytes
until their next download (services.issued_copies).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0013', '0012', None, None


def upgrade():
    op.create_table(
        'issued_copies',
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=True),
        sa.Column('sealed_name', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['record_id'], ['records.id'],
                                name=op.f('fk_issued_copies_record_id_records'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('record_id', 'revision', 'format',
                                name=op.f('pk_issued_copies')))
    with op.batch_alter_table('issued_copies') as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_copies_number'), ['number'])
        batch_op.create_index(batch_op.f('ix_issued_copies_sha256'), ['sha256'])
    with op.batch_alter_table('record_revisions') as batch_op:
        batch_op.create_index(batch_op.f('ix_record_revisions_file_sha256'), ['file_sha256'])


def downgrade():
    with op.batch_alter_table('record_revisions') as batch_op:
        batch_op.drop_index(batch_op.f('ix_record_revisions_file_sha256'))
    with op.batch_alter_table('issued_copies') as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_copies_sha256'))
        batch_op.drop_index(batch_op.f('ix_issued_copies_number'))
    op.drop_table('issued_copies')
