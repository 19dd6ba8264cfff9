"""The head of the audit chain: one row with the last entry's id and hash.

Every append updates this row first, which serializes appends across workers and servers (a row
lock on PostgreSQL, the write lock on SQLite), and it records where the chain ends, so removing
the newest entries is detected (see webforms.audit.trail). It starts at the last entry
already written, or at the empty chain.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0003', '0002', None, None

GENESIS = "0" * 64  # the "previous hash" of the first entry (services.audit.GENESIS)


def upgrade():
    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('last_id', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_head_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    last = op.get_bind().execute(sa.text(
        "SELECT id, hash FROM audit_entries ORDER BY id DESC LIMIT 1")).first()
    head = sa.table('audit_head', sa.column('id'), sa.column('last_id'), sa.column('last_hash'))
    op.bulk_insert(head, [{'id': 1, 'last_id': last[0] if last else 0,
                           'last_hash': last[1] if last else GENESIS}])


def downgrade():
    op.drop_table('audit_head')
