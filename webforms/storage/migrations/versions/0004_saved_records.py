"""The teams' saved records and their issued revisions, and regions of teams.

A record's content is kept sealed (``sealed``, encrypted by the application); the other columns
are what lists, carry-forward and the register need. A team may belong to a region, whose
coordinators see its records.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0004', '0003', None, None

RECORD_INDEXES = ('document_key', 'record_date', 'status', 'subject_digest', 'team_id',
                  'updated_at', 'updated_by')


def user_column(name):
    return sa.Column(name, sa.Integer(), sa.ForeignKey(
        'users.id', name=op.f(f'fk_records_{name}_users'), ondelete='SET NULL'), nullable=True)


def moment(name, nullable=True):
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade():
    op.create_table(
        'records',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('team_id', sa.Integer(), sa.ForeignKey(
            'teams.id', name=op.f('fk_records_team_id_teams'), ondelete='RESTRICT'),
            nullable=False),
        sa.Column('document_key', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('changed_since_issue', sa.Boolean(), nullable=False),
        sa.Column('record_date', sa.Date(), nullable=True),
        sa.Column('subject_digest', sa.String(length=64), nullable=True),
        sa.Column('sealed', sa.LargeBinary(), nullable=True),
        user_column('created_by'), moment('created_at', nullable=False),
        user_column('updated_by'), moment('updated_at', nullable=False),
        moment('issued_at'), moment('trashed_at'), moment('purged_at'),
        sa.UniqueConstraint('number', name=op.f('uq_records_number')))
    with op.batch_alter_table('records') as batch_op:
        for column in RECORD_INDEXES:
            batch_op.create_index(batch_op.f(f'ix_records_{column}'), [column])
        batch_op.create_index('ix_records_team_updated', ['team_id', 'updated_at'])
    create_revisions()
    with op.batch_alter_table('teams') as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_teams_region_id'), ['region_id'])
        batch_op.create_foreign_key(batch_op.f('fk_teams_region_id_teams'), 'teams',
                                    ['region_id'], ['id'], ondelete='SET NULL')


def create_revisions():
    op.create_table(
        'record_revisions',
        sa.Column('record_id', sa.Integer(), sa.ForeignKey(
            'records.id', name=op.f('fk_record_revisions_record_id_records'),
            ondelete='CASCADE'), primary_key=True),
        sa.Column('revision', sa.Integer(), primary_key=True),
        sa.Column('number', sa.String(length=60), nullable=False, index=True),
        sa.Column('issued_at', sa.String(length=40), nullable=False),
        sa.Column('issued_by', sa.Integer(), sa.ForeignKey(
            'users.id', name=op.f('fk_record_revisions_issued_by_users'),
            ondelete='SET NULL'), nullable=True),
        sa.Column('template_version', sa.Integer(), nullable=False),
        sa.Column('template_sha256', sa.String(length=64), nullable=False),
        sa.Column('file_sha256', sa.String(length=64), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('teams') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_teams_region_id_teams'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_teams_region_id'))
        batch_op.drop_column('region_id')
    op.drop_table('record_revisions')
    op.drop_table('records')
