"""Accounts, roles and teams; the register of numbers; the audit trail.

The register used to be a table of its own in ``instance/webforms.sqlite3``, the file this database
uses by default: there the table is kept as it is, with every number issued. A register kept in
another SQLite file (moving to PostgreSQL) is imported when ``WEBFORMS_IMPORT_REGISTER`` names that
file. Either way each code's counter starts after the highest number already issued: no reuse.
"""
import os
import sqlite3
from contextlib import closing

import flask_security
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision, down_revision, branch_labels, depends_on = '0001', None, None, None


def upgrade():
    _create_audit_trail()
    _create_register()
    _create_roles_and_teams()
    _create_users()
    _create_memberships()
    _create_webauthn()
    _import_register(os.environ.get("WEBFORMS_IMPORT_REGISTER"))
    _start_counters()


# The tables as Alembic generated them, one group a function.
def _create_audit_trail():
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    *[sa.Column(name, sa.String(length=length), nullable=nullable) for name, length, nullable in (
        ('user_email', 255, True), ('action', 60, False), ('target', 255, True))],
    sa.Column('details', sa.JSON(), nullable=True),
    *[sa.Column(name, sa.String(length=64), nullable=nullable) for name, nullable in (
        ('address', True), ('previous_hash', False), ('hash', False))],
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_entries_hash'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)


def _create_register():
    if not sa.inspect(op.get_bind()).has_table('issued_documents'):  # the register before
        op.create_table('issued_documents',
        *[sa.Column(name, kind, nullable=False) for name, kind in (
            ('number', sa.String(length=60)), ('code', sa.String(length=30)),
            ('year', sa.Integer()), ('sequence', sa.Integer()),
            ('document_key', sa.String(length=80)), ('version', sa.Integer()),
            ('template_sha256', sa.String(length=64)), ('issued_at', sa.String(length=40)))],
        sa.PrimaryKeyConstraint('number', name=op.f('pk_issued_documents')),
        sa.UniqueConstraint('code', 'year', 'sequence', name=op.f('uq_issued_documents_code'))
        )
    op.create_table('number_counters',
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', 'year', name=op.f('pk_number_counters'))
    )


def _create_roles_and_teams():
    op.create_table('roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=True),
    sa.Column('permissions', flask_security.datastore.AsaList(), nullable=True),
    sa.Column('update_datetime', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roles')),
    sa.UniqueConstraint('name', name=op.f('uq_roles_name'))
    )
    op.create_table('teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('name', name=op.f('uq_teams_name'))
    )


def _create_users():
    op.create_table('users',
    sa.Column('fs_webauthn_user_handle', sa.String(length=64), nullable=True),
    sa.Column('mf_recovery_codes', flask_security.datastore.AsaList(), nullable=True),
    sa.Column('password', sa.String(length=255), nullable=True),
    sa.Column('us_phone_number', sa.String(length=128), nullable=True),
    sa.Column('username', sa.String(length=255), nullable=True),
    sa.Column('us_totp_secrets', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('fs_uniquifier', sa.String(length=64), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('current_login_at', sa.DateTime(), nullable=True),
    sa.Column('last_login_ip', sa.String(length=64), nullable=True),
    sa.Column('current_login_ip', sa.String(length=64), nullable=True),
    sa.Column('login_count', sa.Integer(), nullable=True),
    sa.Column('tf_primary_method', sa.String(length=64), nullable=True),
    sa.Column('tf_totp_secret', sa.String(length=255), nullable=True),
    sa.Column('tf_phone_number', sa.String(length=128), nullable=True),
    sa.Column('create_datetime', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('update_datetime', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('fs_uniquifier', name=op.f('uq_users_fs_uniquifier')),
    sa.UniqueConstraint('fs_webauthn_user_handle', name=op.f('uq_users_fs_webauthn_user_handle')),
    sa.UniqueConstraint('us_phone_number', name=op.f('uq_users_us_phone_number')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )


def _create_memberships():
    op.create_table('roles_users',
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('role_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['role_id'], ['roles.id'], name=op.f('fk_roles_users_role_id_roles')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_roles_users_user_id_users'))
    )
    op.create_table('user_teams',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_user_teams_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_teams_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'team_id', name=op.f('pk_user_teams'))
    )


def _create_webauthn():
    op.create_table('webauthn',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credential_id', sa.LargeBinary(length=1024), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('sign_count', sa.Integer(), nullable=True),
    sa.Column('transports', flask_security.datastore.AsaList(), nullable=True),
    sa.Column('backup_state', sa.Boolean(), nullable=False),
    sa.Column('device_type', sa.String(length=64), nullable=False),
    sa.Column('extensions', sa.String(length=255), nullable=True),
    sa.Column('create_datetime', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('lastuse_datetime', sa.DateTime(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('usage', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_webauthn_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webauthn'))
    )
    with op.batch_alter_table('webauthn', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webauthn_credential_id'), ['credential_id'], unique=True)


def _import_register(path):
    """Copy the numbers of a register kept in another SQLite file, keeping every one."""
    if not path or not os.path.isfile(path):
        return
    with closing(sqlite3.connect(path)) as legacy:
        rows = legacy.execute("SELECT number, code, year, sequence, document_key, version, "
                              "template_sha256, issued_at FROM issued_documents").fetchall()
    table = sa.table("issued_documents", *(sa.column(name) for name in (
        "number", "code", "year", "sequence", "document_key", "version", "template_sha256",
        "issued_at")))
    existing = {number for (number,) in op.get_bind().execute(sa.text(
        "SELECT number FROM issued_documents"))}
    op.bulk_insert(table, [dict(zip(("number", "code", "year", "sequence", "document_key",
                                     "version", "template_sha256", "issued_at"), row))
                           for row in rows if row[0] not in existing])


def _start_counters():
    """Each code and year continues after its highest number."""
    op.execute("INSERT INTO number_counters (code, year, last) SELECT code, year, MAX(sequence) "
               "FROM issued_documents GROUP BY code, year")


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('webauthn', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webauthn_credential_id'))

    op.drop_table('webauthn')
    op.drop_table('user_teams')
    op.drop_table('roles_users')
    op.drop_table('users')
    op.drop_table('teams')
    op.drop_table('roles')
    op.drop_table('number_counters')
    op.drop_table('issued_documents')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    # ### end Alembic commands ###
