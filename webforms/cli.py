"""The command line: ``flask --app wsgi <group> …``, one module a group.

``templates`` (the quality office: check, new versions, reproduction), ``users`` (accounts, roles,
teams), ``audit`` (the audit trail: verify its chain), ``records`` (the retention purge and the
data key's rotation), ``demo`` (a demo region with a year of sample records), ``reminders`` (the
weekly digest and notices by mail, now), ``actions`` (the action tracker rebuilt from issued
records). Every group registered here is added to the app by
:func:`register`.
"""
from webforms.accounts.cli import users
from webforms.actions.cli import actions
from webforms.audit.cli import audit
from webforms.backup.cli import backup, backup_before_upgrade
from webforms.control.cli import templates
from webforms.demo.cli import demo
from webforms.records.cli import records
from webforms.reminders.cli import reminders

GROUPS = (templates, users, audit, records, demo, reminders, actions, backup)


BEFORE_MIGRATIONS = (backup_before_upgrade,)
"""What runs before Alembic applies migrations (storage/migrations/env.py reads them from
``app.extensions["before_migrations"]``: the core imports no feature): the backup that makes an
upgrade undoable."""


def register(app) -> None:
    for group in GROUPS:
        app.cli.add_command(group)
    app.extensions["before_migrations"] = BEFORE_MIGRATIONS
