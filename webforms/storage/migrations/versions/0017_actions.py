"""The action tracker: every action agreed in a Registro, Conferencia ampliada, Mesa interna or
individual supervision, and the history of its status (webforms.actions). The texts typed (the
action, its responsible, a note) are sealed; the text is matched by a keyed digest.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0017', '0016', None, None


def upgrade():
    op.create_table(
        'actions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('team_id', sa.Integer(), sa.ForeignKey(
            'teams.id', name=op.f('fk_actions_team_id_teams'), ondelete='CASCADE'),
            nullable=False),
        sa.Column('family', sa.String(length=16), nullable=False),
        sa.Column('origin_record_id', sa.Integer(), sa.ForeignKey(
            'records.id', name=op.f('fk_actions_origin_record_id_records'), ondelete='CASCADE'),
            nullable=False),
        sa.Column('subject_digest', sa.String(length=64), nullable=True),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('sealed_responsible', sa.LargeBinary(), nullable=True),
        sa.Column('roster_worker_id', sa.Integer(), nullable=True),
        sa.Column('agreed_on', sa.Date(), nullable=False),
        sa.Column('deadline', sa.Date(), nullable=True),
        sa.Column('sealed_text', sa.LargeBinary(), nullable=True),
        sa.Column('text_key', sa.String(length=64), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=True))
    with op.batch_alter_table('actions') as batch_op:
        batch_op.create_index('ix_actions_team_status', ['team_id', 'status'])
        batch_op.create_index('ix_actions_team_family_agreed', ['team_id', 'family', 'agreed_on'])
        batch_op.create_index(batch_op.f('ix_actions_origin_record_id'), ['origin_record_id'])
        batch_op.create_index(batch_op.f('ix_actions_text_key'), ['text_key'])
    op.create_table(
        'action_events',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('action_id', sa.Integer(), sa.ForeignKey(
            'actions.id', name=op.f('fk_action_events_action_id_actions'), ondelete='CASCADE'),
            nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('record_id', sa.Integer(), sa.ForeignKey(
            'records.id', name=op.f('fk_action_events_record_id_records'), ondelete='CASCADE'),
            nullable=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey(
            'users.id', name=op.f('fk_action_events_user_id_users'), ondelete='SET NULL'),
            nullable=True),
        sa.Column('sealed_note', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('action_events') as batch_op:
        batch_op.create_index(batch_op.f('ix_action_events_action_id'), ['action_id'])
        batch_op.create_index(batch_op.f('ix_action_events_record_id'), ['record_id'])


def downgrade():
    op.drop_table('action_events')
    op.drop_table('actions')
