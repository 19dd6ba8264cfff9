"""Accounts from the command line: ``flask --app wsgi users …``.

``users create`` is non-interactive (the password comes on standard input), so the first
administrator of a fresh installation can be created by a set-up script. An administrator helps a
user back in from here as on the web (all audited): ``set-password`` (a temporary password to
change at the next sign-in), ``reset-two-step``, ``end-sessions``, ``deactivate``/``activate``.
"""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ..extensions import security
from ..services.accounts import (
    AccountError,
    create_user,
    end_sessions,
    reset_two_step,
    set_active,
    set_region,
    set_temporary_password,
)
from ..storage.models import ROLES, User

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


def account_named(email: str) -> User:
    user = security.datastore.find_user(case_insensitive=True, email=email)
    if user is None:
        click.echo(f"✗ {email}: no existe esa cuenta.", err=True)
        sys.exit(1)
    return user


@users.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Leer la contraseña de la entrada estándar (una línea).")
def set_password_command(email: str, password_stdin: bool):
    """Asigna a EMAIL una contraseña temporal, que deberá cambiar al ingresar; cierra sus
    sesiones."""
    user = account_named(email)
    try:
        set_temporary_password(user, sys.stdin.readline().rstrip("\n"))
    except AccountError as error:
        click.echo(f"✗ {email}: {error}", err=True)
        sys.exit(1)
    click.echo(f"✓ {user.email}: contraseña temporal asignada; deberá cambiarla al ingresar.")


@users.command("reset-two-step")
@click.argument("email")
def reset_two_step_command(email: str):
    """Reinicia la verificación en dos pasos de EMAIL (la configurará de nuevo); cierra sus
    sesiones."""
    user = account_named(email)
    reset_two_step(user)
    click.echo(f"✓ {user.email}: verificación en dos pasos reiniciada.")


@users.command("end-sessions")
@click.argument("email")
def end_sessions_command(email: str):
    """Cierra todas las sesiones de EMAIL."""
    user = account_named(email)
    click.echo(f"✓ {user.email}: sesiones cerradas: {end_sessions(user)}.")


@users.command("deactivate")
@click.argument("email")
def deactivate_command(email: str):
    """Desactiva EMAIL (no puede ingresar; sus sesiones se cierran; lo emitido se conserva)."""
    user = account_named(email)
    set_active(user, False)
    click.echo(f"✓ {user.email}: desactivada.")


@users.command("activate")
@click.argument("email")
def activate_command(email: str):
    """Reactiva EMAIL."""
    user = account_named(email)
    set_active(user, True)
    click.echo(f"✓ {user.email}: activa.")


@users.command("list")
def list_command():
    """Lista las cuentas con sus roles, equipos y estado."""
    from ..storage.database import db

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
