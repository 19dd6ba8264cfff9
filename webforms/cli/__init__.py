"""The command line: ``flask --app wsgi <group> …``, one module a group.

``templates`` (the quality office: check, new versions, reproduction), ``users`` (accounts, roles,
teams), ``audit`` (the audit trail: verify its chain), ``records`` (the retention purge and the
data key's rotation), ``demo`` (a demo region with a year of sample records). Every group
registered here is added to the app by :func:`register`.
"""
from .audit import audit
from .demo import demo
from .records import records
from .templates import templates
from .users import users

GROUPS = (templates, users, audit, records, demo)


def register(app) -> None:
    for group in GROUPS:
        app.cli.add_command(group)
