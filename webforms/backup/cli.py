"""Backups from the command line: ``flask --app wsgi backup create|verify|restore|before-upgrade|
keygen`` (docs/backups.md).

The passphrase and keys come from the configuration (``WEBFORMS_BACKUP_PASSPHRASE``,
``WEBFORMS_BACKUP_PUBLIC_KEY``, ``WEBFORMS_BACKUP_PRIVATE_KEY``) or from the options, which win;
a file option keeps a secret off the command line (and out of the shell's history).
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import click
from botocore.exceptions import BotoCoreError, ClientError
from flask.cli import AppGroup
from flask_babel import gettext as _

from webforms.audit import trail as audit
from webforms.backup import service
from webforms.backup.create import configured_keys
from webforms.backup.format import BackupError, Keys, new_key_pair
from webforms.backup.restore import NotEmpty, restore
from webforms.backup.verify import check_chain, unpack
from webforms.storage.database import db

backup = AppGroup("backup", help="Copias de seguridad cifradas: crear, comprobar, restaurar.")

# What can go wrong taking or storing a backup, said in one line rather than a traceback.
FAILURES = (BackupError, OSError, ValueError, subprocess.CalledProcessError, BotoCoreError,
            ClientError)


def key_options(command):
    """The options that give the passphrase or the keys."""
    for option in reversed((
            click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False),
                         help="Archivo con la frase de paso (WEBFORMS_BACKUP_PASSPHRASE)."),
            click.option("--public-key", help="Clave pública X25519 (WEBFORMS_BACKUP_PUBLIC_KEY)."),
            click.option("--private-key-file", type=click.Path(exists=True, dir_okay=False),
                         help="Archivo con la clave privada (WEBFORMS_BACKUP_PRIVATE_KEY)."))):
        command = option(command)
    return command


def keys_from(passphrase_file, public_key, private_key_file) -> Keys:
    keys = configured_keys()
    if passphrase_file:
        keys = replace(keys, passphrase=Path(passphrase_file).read_text().strip())
    if public_key:
        keys = replace(keys, public_key=public_key.strip())
    if private_key_file:
        keys = replace(keys, private_key=Path(private_key_file).read_text().strip())
    return keys


def fail(message: str) -> None:
    click.echo(f"✗ {message}", err=True)
    sys.exit(1)


@backup.command("create")
@click.option("--to", "target", help="Carpeta o s3://bucket/prefijo (WEBFORMS_BACKUP_TARGET).")
@key_options
def create_command(target, passphrase_file, public_key, private_key_file):
    """Crea una copia de seguridad cifrada de la instalación."""
    keys = keys_from(passphrase_file, public_key, private_key_file)
    try:
        place = service.configured_target(target)
        name, manifest = service.create_backup(place, keys)
    except FAILURES as error:
        fail(_("No se pudo crear la copia de seguridad: %(error)s", error=error))
    click.echo(_("✓ Copia de seguridad %(name)s guardada en %(target)s (%(parts)s partes).",
                 name=name, target=place, parts=len(manifest["parts"])))


@backup.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@key_options
def verify_command(file, passphrase_file, public_key, private_key_file):
    """Comprueba una copia de seguridad sin restaurarla."""
    keys = keys_from(passphrase_file, public_key, private_key_file)
    try:
        with tempfile.TemporaryDirectory(prefix="webforms-verify-") as scratch:
            manifest = unpack(Path(file), keys, Path(scratch))
            check_chain(Path(scratch), manifest)
    except BackupError as error:
        audited("backup_failed", file, reason="verify", part=error.part)
        fail(_("La copia de seguridad está dañada en «%(part)s»: %(problem)s.",
               part=error.part, problem=error.message))
    except FAILURES as error:  # a tool missing (pg_restore), a folder not writable
        audited("backup_failed", file, reason="verify", error=type(error).__name__)
        fail(_("No se pudo abrir la copia de seguridad: %(error)s", error=error))
    audited("backup_verified", file, parts=len(manifest["parts"]))
    click.echo(_("✓ Copia de seguridad íntegra: %(parts)s partes, revisión %(revision)s, "
                 "cadena de auditoría hasta la entrada %(last)s.",
                 parts=len(manifest["parts"]), revision=manifest["alembic_revision"],
                 last=(manifest.get("audit_head") or {}).get("last_id")))


def audited(action: str, file, **details) -> None:
    audit.append(action, Path(file).name, **details)
    db.session.commit()


@backup.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Reemplazar una instalación que ya tiene datos.")
@key_options
def restore_command(file, force, passphrase_file, public_key, private_key_file):
    """Restaura una copia de seguridad en una instalación vacía."""
    keys = keys_from(passphrase_file, public_key, private_key_file)
    try:
        manifest, elsewhere = restore(Path(file), keys, force=force)
    except NotEmpty:
        audited("backup_failed", file, reason="restore", error="not_empty")
        fail(_("Esta instalación ya tiene cuentas o registros: no se restaura encima. Use una "
               "instalación vacía, o --force para reemplazarla."))
    except BackupError as error:
        audited("backup_failed", file, reason="restore", part=error.part)
        fail(_("La copia de seguridad está dañada en «%(part)s»: %(problem)s.",
               part=error.part, problem=error.message))
    except FAILURES as error:
        fail(_("No se pudo restaurar la copia de seguridad: %(error)s", error=error))
    audited("backup_restored", file, revision=manifest["alembic_revision"])
    click.echo(_("✓ Copia de seguridad del %(created)s restaurada.", created=manifest["created"]))
    for variable in elsewhere:
        click.echo(_("Atención: %(variable)s tiene otro valor que la copia; póngale el de "
                     "instance/ antes de iniciar el servidor.", variable=variable), err=True)


@backup.command("before-upgrade")
def before_upgrade_command():
    """Crea una copia antes de aplicar migraciones, si la base tiene datos."""
    backup_before_upgrade()


def backup_before_upgrade() -> None:
    """A database that holds data, with migrations pending, is backed up before they apply:
    ``flask db upgrade`` runs this first (webforms.cli registers it, storage/migrations/env.py
    calls it), as ``backup before-upgrade`` does. A backup that fails stops the upgrade."""
    if not service.needs_backup_before_upgrade():
        return
    keys = configured_keys()
    if not (keys.passphrase or keys.public_key):
        click.echo(_("Atención: hay migraciones por aplicar y no se hizo una copia de seguridad "
                     "(configure WEBFORMS_BACKUP_PASSPHRASE o WEBFORMS_BACKUP_PUBLIC_KEY)."),
                   err=True)
        return
    try:
        name, _manifest = service.create_backup(keys=keys, reason="before_upgrade")
    except FAILURES as error:
        fail(_("No se pudo crear la copia de seguridad: %(error)s", error=error))
    click.echo(_("✓ Copia de seguridad %(name)s creada antes de la actualización.", name=name))


@backup.command("keygen")
def keygen_command():
    """Genera un par de claves para cifrar copias con una clave pública."""
    private, public = new_key_pair()
    click.echo(f"WEBFORMS_BACKUP_PUBLIC_KEY={public}")
    click.echo(f"WEBFORMS_BACKUP_PRIVATE_KEY={private}")
    click.echo(_("Guarde la clave privada fuera de este servidor: sin ella, ninguna copia se "
                 "puede abrir."), err=True)
