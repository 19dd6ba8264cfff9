"""Webhooks (webforms.webhooks): the endpoints administrators register (their secret sealed),
the outbox of deliveries, each delivery's attempts (the endpoint's log), and the actions already
announced as overdue.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0021', '0020', None, None


def upgrade():
    op.create_table(
        'webhook_endpoints',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('url', sa.String(length=2000), nullable=False),
        sa.Column('description', sa.String(length=200), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('sealed_secret', sa.LargeBinary(), nullable=False),
        sa.Column('created_by', sa.Integer(), sa.ForeignKey(
            'users.id', name=op.f('fk_webhook_endpoints_created_by_users'), ondelete='SET NULL'),
            nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('secret_rotated_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.String(length=40), primary_key=True),
        sa.Column('endpoint_id', sa.Integer(), sa.ForeignKey(
            'webhook_endpoints.id', name=op.f('fk_webhook_deliveries_endpoint_id_webhook_endpoints'),
            ondelete='CASCADE'), nullable=False),
        sa.Column('event', sa.String(length=32), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_webhook_deliveries_endpoint_id'), 'webhook_deliveries',
                    ['endpoint_id'])
    op.create_index('ix_webhook_deliveries_state_next', 'webhook_deliveries',
                    ['state', 'next_attempt_at'])
    op.create_table(
        'webhook_attempts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('delivery_id', sa.String(length=40), sa.ForeignKey(
            'webhook_deliveries.id', name=op.f('fk_webhook_attempts_delivery_id_webhook_deliveries'),
            ondelete='CASCADE'), nullable=False),
        sa.Column('endpoint_id', sa.Integer(), sa.ForeignKey(
            'webhook_endpoints.id', name=op.f('fk_webhook_attempts_endpoint_id_webhook_endpoints'),
            ondelete='CASCADE'), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=80), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=False))
    op.create_index(op.f('ix_webhook_attempts_delivery_id'), 'webhook_attempts', ['delivery_id'])
    op.create_index(op.f('ix_webhook_attempts_endpoint_id'), 'webhook_attempts', ['endpoint_id'])
    op.create_table(
        'webhook_overdue_notices',
        sa.Column('action_id', sa.Integer(), sa.ForeignKey(
            'actions.id', name=op.f('fk_webhook_overdue_notices_action_id_actions'),
            ondelete='CASCADE'), primary_key=True),
        sa.Column('deadline', sa.Date(), nullable=False),
        sa.Column('noticed_at', sa.DateTime(timezone=True), nullable=False))


def downgrade():
    op.drop_table('webhook_overdue_notices')
    op.drop_table('webhook_attempts')
    op.drop_table('webhook_deliveries')
    op.drop_table('webhook_endpoints')
