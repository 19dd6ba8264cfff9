"""The audit trail keyed, and forms kept after a session expired bound to their author.

Audit: one keyed entry, ``audit_keyed``, is appended at the end of the chain as it stands; the
entries before it keep their plain SHA-256 hashes, it and every later entry are HMAC'd with the
installation's audit key (see webforms.audit.trail). It goes through the service's own append,
on this migration's connection, so it is chained and keyed exactly as any later entry.

Kept forms: a form is now kept only for the signed-in user whose session expired, and restored
only to them. Forms kept before (by anyone, for whoever signed in next) are deleted: they have
no author to be bound to, and lived two hours at most anyway.
"""
import sqlalchemy as sa
from alembic import op

from webforms.audit import trail as audit

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0009', '0008', None, None


def upgrade():
    connection = op.get_bind()
    connection.execute(sa.text("DELETE FROM pending_submissions"))
    with op.batch_alter_table('pending_submissions') as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), sa.ForeignKey(
            'users.id', name=op.f('fk_pending_submissions_user_id_users'), ondelete='CASCADE'),
            nullable=False))
        batch_op.create_index(batch_op.f('ix_pending_submissions_user_id'), ['user_id'])
    earlier = connection.execute(sa.text("SELECT last_id FROM audit_head WHERE id = 1")).scalar()
    actor = audit.Actor(address=audit.command_line_address())
    audit.append_all([audit.entry_fields(actor, audit.KEYED_FROM, None, {
        "earlier_entries": earlier or 0})], connection=connection)


def downgrade():
    """The kept forms lose their author (and are deleted: nobody could restore them). The keyed
    entries stay: the chain is history; an older version's ``audit verify`` reports them."""
    op.get_bind().execute(sa.text("DELETE FROM pending_submissions"))
    with op.batch_alter_table('pending_submissions') as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_submissions_user_id'))
        batch_op.drop_constraint(batch_op.f('fk_pending_submissions_user_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('user_id')
