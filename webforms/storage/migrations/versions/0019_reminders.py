"""Reminders that carry no case content: whether a user takes them by mail (on by default), each
team's weekly digest day and hour (Monday 08:00 in the installation's time zone), and what was
already sent (``reminder_notices``: a digest once a week, a notice once per overdue action or
broken rhythm).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0019', '0018', None, None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('reminders', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('teams') as batch_op:
        batch_op.add_column(sa.Column('digest_weekday', sa.Integer(), nullable=False,
                                      server_default=sa.text('0')))
        batch_op.add_column(sa.Column('digest_hour', sa.Integer(), nullable=False,
                                      server_default=sa.text('8')))
    op.create_table(
        'reminder_notices',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey(
            'users.id', name=op.f('fk_reminder_notices_user_id_users'), ondelete='CASCADE'),
            nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('user_id', 'kind', 'key',
                            name=op.f('uq_reminder_notices_user_id')))


def downgrade():
    op.drop_table('reminder_notices')
    with op.batch_alter_table('teams') as batch_op:
        batch_op.drop_column('digest_hour')
        batch_op.drop_column('digest_weekday')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('reminders')
