"""The action tracker from the command line: ``flask --app wsgi actions rebuild [--team ID]``.

Why a command: an installation upgraded with records already issued has an empty tracker (the
tracker reads each record as it is issued); rebuilding reads every issued record once, in the
order of their dates, and commits at the end.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from webforms.actions import tracker
from webforms.storage.database import db

actions = AppGroup("actions", help="Acciones acordadas en los registros: su seguimiento.")


@actions.command("rebuild")
@click.option("--team", "team_id", type=int, default=None,
              help="Solo el equipo de este número (por defecto, todos).")
def rebuild_command(team_id: int | None):
    """Reconstruye las acciones desde los registros emitidos."""
    read, unreadable = tracker.rebuild(team_id)
    db.session.commit()
    click.echo(_("Acciones reconstruidas desde %(count)d registros emitidos.", count=read))
    if unreadable:
        click.echo(_("%(count)d registros no se pudieron abrir (contenido depurado).",
                     count=unreadable))
