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

from webforms.accounts import teams as team_store
from webforms.accounts.extension import security
from webforms.accounts.service import (
    AccountError,
    create_user,
    end_sessions,
    reset_two_step,
    set_active,
    set_modality,
    set_temporary_password,
)
from webforms.storage.database import db
from webforms.storage.models import ROLES, User

users = AppGroup("users", help="Cuentas de usuario, roles y equipos.")


@users.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES),
              help="Rol (se puede repetir).")
@click.option("--team", "teams", multiple=True,
              help="Equipo existente (repetible); se crea antes con «users team NOMBRE».")
@click.option("--modality", type=click.Choice(team_store.MODALITIES),
              help="Modalidad del gestor de caso (rol gestor_caso).")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Leer la contraseña de la entrada estándar (una línea).")
def create_command(email: str, roles: tuple, teams: tuple, modality: str | None,
                   password_stdin: bool):
    """Crea la cuenta EMAIL con sus roles y equipos."""
    password = sys.stdin.readline().rstrip("\n")
    try:
        result = create_user(email, password, roles, teams)
        if result.created and modality:
            set_modality(result.user, modality)
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
    switch_account(email, active=False)


@users.command("activate")
@click.argument("email")
def activate_command(email: str):
    """Reactiva EMAIL."""
    switch_account(email, active=True)


def switch_account(email: str, *, active: bool) -> None:
    user = account_named(email)
    set_active(user, active)
    click.echo(f"✓ {user.email}: {'activa' if active else 'desactivada'}.")


@users.command("list")
def list_command():
    """Lista las cuentas con sus roles, equipos y estado."""
    for user in db.session.execute(db.select(User).order_by(User.email)).scalars():
        state = "activa" if user.active else "desactivada"
        click.echo(f"{user.email}\t{state}\t{','.join(user.role_names())}\t"
                   f"{','.join(user.team_names())}")


@users.command("team")
@click.argument("name")
@click.option("--region", help="Región (oficina regional) a la que pertenece: sus "
                               "coordinadores leen los registros de este equipo.")
@click.option("--no-region", is_flag=True, help="Sacar el equipo de su región.")
@click.option("--modality", "modalities", multiple=True,
              type=click.Choice(team_store.MODALITIES),
              help="Modalidad en la que trabaja el equipo (repetible; reemplaza las anteriores).")
def team_command(name: str, region: str | None, no_region: bool, modalities: tuple):
    """Crea el equipo NAME si no existe; fija su región y sus modalidades si se indican."""
    try:
        team = team_store.set_region(name, region) if region or no_region else (
            team_store.find(name) or team_store.create(name))
        if modalities:
            team_store.change(team, name=team.name, region=team.region, modalities=modalities,
                              active=team.active)
        db.session.commit()
    except team_store.TeamError as error:
        db.session.rollback()
        click.echo(f"✗ {name}: {error}", err=True)
        sys.exit(1)
    click.echo(f"✓ {team.name} · región: {team.region.name if team.region else '—'} · "
               f"modalidades: {', '.join(team.modalities) or '—'}")


@users.command("region")
@click.argument("name")
def region_command(name: str):
    """Crea la región NAME (la oficina regional a la que pertenecen equipos)."""
    try:
        region = team_store.find(name) or team_store.create(name, is_region=True)
        region.is_region = True
        db.session.commit()
    except team_store.TeamError as error:
        db.session.rollback()
        click.echo(f"✗ {name}: {error}", err=True)
        sys.exit(1)
    click.echo(f"✓ región: {region.name}")
