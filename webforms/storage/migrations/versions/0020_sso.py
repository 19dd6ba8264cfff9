"""Single sign-on (accounts.sso): each account's identity at the OpenID provider, matched by
(issuer, subject), and the sign-ons under way, whose ``state`` is usable once.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0020', '0019', None, None


def upgrade():
    op.create_table(
        'sso_identities',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey(
            'users.id', name=op.f('fk_sso_identities_user_id_users'), ondelete='CASCADE'),
            nullable=False),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('id_token', sa.Text(), nullable=True),
        sa.UniqueConstraint('issuer', 'subject', name=op.f('uq_sso_identities_issuer')))
    op.create_index(op.f('ix_sso_identities_user_id'), 'sso_identities', ['user_id'])
    op.create_table(
        'sso_states',
        sa.Column('state_hash', sa.String(length=64), primary_key=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False))


def downgrade():
    op.drop_table('sso_states')
    op.drop_index(op.f('ix_sso_identities_user_id'), table_name='sso_identities')
    op.drop_table('sso_identities')
