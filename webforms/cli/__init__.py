"""The command line: ``flask --app wsgi <group> …``, one module a group.

``templates`` (the quality office: check, new versions, reproduction), ``users`` (accounts, roles,
teams). Every group registered here is added to the app by :func:`register`.
"""
from .templates import templates
from .users import users

GROUPS = (templates, users)


def register(app) -> None:
    for group in GROUPS:
        app.cli.add_command(group)
