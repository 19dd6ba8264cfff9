"""Requests to annul an issued record's number, each with its reason and decision (both sealed):
an issued record is annulled, never deleted, and by default only once a reviewer approves.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0014', '0013', None, None


def user_column(name):
    return sa.Column(name, sa.Integer(), sa.ForeignKey(
        'users.id', name=op.f(f'fk_annulments_{name}_users'), ondelete='SET NULL'),
        nullable=True)


def upgrade():
    op.create_table(
        'annulments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('record_id', sa.Integer(), sa.ForeignKey(
            'records.id', name=op.f('fk_annulments_record_id_records'), ondelete='CASCADE'),
            nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('revision', sa.Integer(), nullable=False),
        user_column('requested_by'),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sealed_reason', sa.LargeBinary(), nullable=True),
        sa.Column('state', sa.String(length=16), nullable=False),
        user_column('decided_by'),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sealed_note', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('annulments') as batch_op:
        batch_op.create_index(batch_op.f('ix_annulments_record_id'), ['record_id'])
        batch_op.create_index(batch_op.f('ix_annulments_state'), ['state'])


def downgrade():
    op.drop_table('annulments')
