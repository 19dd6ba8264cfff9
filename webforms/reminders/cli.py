"""The reminders from the command line: ``flask --app wsgi reminders send [--now]``, what the
hourly job does, for an operator trying the mail settings or catching up after the consumer was
stopped. ``--now`` sends each team's digest not sent this week without waiting for its day and
hour (still once a week: a second ``--now`` sends no digest again)."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from webforms.reminders import service

reminders = AppGroup("reminders", help="Resumen semanal y avisos por correo.")


@reminders.command("send")
@click.option("--now", "force", is_flag=True,
              help="Enviar ya el resumen de cada equipo aún no enviado esta semana.")
def send_command(force: bool):
    """Envía los resúmenes y avisos que corresponden ahora."""
    if not service.mail_configured():
        raise click.ClickException(_("No hay correo configurado (WEBFORMS_MAIL_URL): el resumen "
                                     "se muestra en la página de inicio."))
    outcome = service.send_due(force=force)
    click.echo(_("Mensajes enviados: %(sent)d; no enviados: %(failed)d.", sent=outcome.sent,
                 failed=outcome.failed))
    if outcome.failed:
        raise SystemExit(1)
