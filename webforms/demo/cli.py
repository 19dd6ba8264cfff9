"""A demo to try the product with: ``flask --app wsgi demo region``.

Why a command: the team's dashboard only says something once a team has months of issued
records. This creates a region with two teams, their accounts (the password is printed) and a
year of sample records with known gaps (demo.service), issued through the same services as the
pages, so everything can be tried as a coordinator or a supervisor would.

Never in production: its accounts share a password printed on screen, and its sample records
would mix with the teams' own. The command refuses to run there.
"""
from __future__ import annotations

import datetime as dt
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from webforms.demo import service as sample

demo = AppGroup("demo", help="Datos de demostración.")


@demo.command("region")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Fecha final de los registros (por defecto, hoy).")
def region_command(today: dt.datetime | None):
    """Crea una región de demostración: dos equipos, sus cuentas y un año de registros."""
    if current_app.config["ENV_NAME"] == "production":
        click.echo(_("× La región de demostración no se crea en producción: sus cuentas comparten "
                     "una contraseña conocida. Úsela en una instalación de prueba."), err=True)
        sys.exit(2)
    day = today.date() if today else dt.date.today()
    try:
        counts = sample.create_region(day)
    except sample.DemoExists:
        click.echo(f"= La región «{sample.REGION}» ya existe; no se cambió nada.")
        sys.exit(1)
    click.echo(f"✓ Región «{sample.REGION}» con los equipos {', '.join(sample.TEAMS)}.")
    click.echo(f"  Registros emitidos hasta el {day.isoformat()}: "
               + ", ".join(f"{key} {count}" for key, count in sorted(counts.items())))
    click.echo(f"  Cuentas (contraseña para todas: «{sample.PASSWORD}»):")
    click.echo(f"    {sample.COORDINATOR}  coordinador/a de la región (ve los dos equipos)")
    for email, team in zip(sample.SUPERVISORS, sample.TEAMS):
        click.echo(f"    {email}  supervisor/a de {team}")
    click.echo("  Abra /panel/ después de ingresar.")
