"""Accounts from the command line: ``flask --app wsgi users …``.

``users create`` is non-interactive (the password comes on standard input), so the first
administrator of a fresh installation can be created by a set-up script.
"""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..services.accounts import AccountError, create_user, set_region
from ..storage.models import ROLES

users = AppGroup("users", help="Cuentas de usuario, roles y equipos.")


@users.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
              help="Rol (se puede repetir).")
@click.option("--team", "teams", multiple=True, help="Equipo; se crea si no existe (repetible).")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Leer la contraseña de la entrada estándar (una línea).")
def create_command(email: str, roles: tuple, teams: tuple, password_stdin: bool):
    """Crea la cuenta EMAIL con sus roles y equipos."""
    password = sys.stdin.readline().rstrip("\n")
    try:
        result = create_user(email, password, roles, teams)
    except AccountError as error:
        click.echo(f"✗ {email}: {error}", err=True)
        sys.exit(1)
    if not result.created:
        click.echo(f"= {email} ya existe; no se cambió nada.")
        return
    user = result.user
    click.echo(f"✓ {user.email} · roles: {', '.join(user.role_names()) or '—'} · equipos: "
               f"{', '.join(user.team_names()) or '—'}")


@users.command("list")
def list_command():
    """Lista las cuentas con sus roles, equipos y estado."""
    from ..storage.database import db
    from ..storage.models import User

    for user in db.session.execute(db.select(User).order_by(User.email)).scalars():
        state = "activa" if user.active else "desactivada"
        click.echo(f"{user.email}\t{state}\t{','.join(user.role_names())}\t"
                   f"{','.join(user.team_names())}")


@users.command("team")
@click.argument("name")
@click.option("--region", help="Equipo de la oficina regional a la que pertenece (sus "
                               "coordinadores leen los registros de este equipo).")
@click.option("--no-region", is_flag=True, help="Sacar el equipo de su región.")
def team_command(name: str, region: str | None, no_region: bool):
    """Crea el equipo NAME si no existe y fija su región (--region o --no-region)."""
    if not region and not no_region:
        raise click.UsageError("indique --region REGIÓN o --no-region")
    try:
        team = set_region(name, None if no_region else region)
    except AccountError as error:
        click.echo(f"✗ {name}: {error}", err=True)
        sys.exit(1)
    click.echo(f"✓ {team.name} · región: {team.region.name if team.region else '—'}")
