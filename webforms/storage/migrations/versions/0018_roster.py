"""The teams' rosters: each worker's name (sealed) and its keyed digest (the one a supervision
keeps of its worker), role, modality, and the dates they joined and left the team. Staff only.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0018', '0017', None, None


def user_column(name):
    return sa.Column(name, sa.Integer(), sa.ForeignKey(
        'users.id', name=op.f(f'fk_roster_workers_{name}_users'), ondelete='SET NULL'),
        nullable=True)


def upgrade():
    op.create_table(
        'roster_workers',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('team_id', sa.Integer(), sa.ForeignKey(
            'teams.id', name=op.f('fk_roster_workers_team_id_teams'), ondelete='CASCADE'),
            nullable=False),
        sa.Column('sealed_name', sa.LargeBinary(), nullable=False),
        sa.Column('name_digest', sa.String(length=64), nullable=False),
        sa.Column('role', sa.String(length=40), nullable=False),
        sa.Column('modality', sa.String(length=40), nullable=True),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=True),
        user_column('created_by'),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        user_column('updated_by'),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False))
    with op.batch_alter_table('roster_workers') as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_workers_team_id'), ['team_id'])
        batch_op.create_index(batch_op.f('ix_roster_workers_name_digest'), ['name_digest'])


def downgrade():
    op.drop_table('roster_workers')
