"""The teams' saved records from the command line: ``flask --app wsgi records
purge|rotate-key|verify-copies``.

Why commands: the purge must run every day whether or not anyone opens the site (a cron line,
until the job queue runs it), and ``--dry-run`` lets an operator see what it would take first.
Rotating the data key is an operator's act on the installation's secrets, never a page.

Rotating, safely: a server still running holds the former key and seals what it saves with it, so
the servers are stopped (or at least restarted right after, see docs/operations.md) around the rotation.
With ``--generate`` (the local default key in ``instance/``) the former key is first set aside in
``instance/data_key.old``, which every process also reads, so an interrupted rotation never leaves
content that no key opens; the file is removed only once everything is sealed with the new key.
"""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from webforms.config import INSTALLATION_KEYS, local_former_data_keys
from webforms.records import copy_check, retention
from webforms.storage import write_atomically

records = AppGroup("records", help="Registros guardados: depuración y clave de datos.")

# The data key's environment variable and file name, as the configuration names them.
DATA_KEY_VARIABLE, DATA_KEY_FILE = next(
    (variable, file_name) for setting, variable, file_name in INSTALLATION_KEYS
    if setting == "DATA_KEY")
FORMER_KEYS_FILE = f"{DATA_KEY_FILE}.old"  # read by config.local_former_data_keys


@records.command("purge")
@click.option("--dry-run", is_flag=True, help="Mostrar lo que se depuraría, sin cambiar nada.")
def purge_command(dry_run: bool):
    """Depura lo que el calendario de conservación ya no guarda."""
    report = retention.purge(dry_run=dry_run)
    config = current_app.config
    click.echo(_("Simulación: no se cambió nada. Se depuraría:") if dry_run
               else _("Depuración terminada:"))
    echo_records(_("Registros sin cambios desde hace más de %(days)d días (se borra su "
                   "contenido)", days=config["RETENTION_DAYS"]), report.expired)
    echo_records(_("Registros en la papelera desde hace más de %(days)d días (se eliminan)",
                   days=config["TRASH_DAYS"]), report.deleted)
    echo_list(_("Trabajos (lotes, PDF) de más de %(hours)d horas",
                hours=config["JOB_RESULTS_HOURS"]), report.batch_jobs)
    click.echo("  " + _("Envíos pendientes vencidos: %(count)d",
                        count=report.pending_submissions))


def echo_records(title: str, purged: list[retention.PurgedRecord]) -> None:
    echo_list(title, [record.label for record in purged])


def echo_list(title: str, labels: list[str]) -> None:
    click.echo(f"  {title}: {len(labels)}")
    for label in labels:
        click.echo(f"    {label}")


@records.command("verify-copies")
def verify_copies_command():
    """Comprueba que cada copia emitida se volvería a generar idéntica, sin cambiar nada."""
    reasons = {
        copy_check.ALTERED: _("la copia guardada fue alterada"),
        copy_check.NOT_REGISTERED: _("la copia guardada no es la del registro"),
        copy_check.RENDERS_DIFFERENTLY: _("generada de nuevo, sería distinta"),
        copy_check.UNREADABLE: _("no se puede abrir ni generar de nuevo"),
    }
    with current_app.test_request_context():  # forms and documents render as in a request
        report = copy_check.verify_copies()
    for difference in report.differences:
        click.echo(f"✗ {difference.label}: {reasons[difference.reason]}")
    click.echo(_("Copias comprobadas: %(checked)d; distintas: %(differences)d.",
                 **report.counts()))
    sys.exit(1 if report.differences else 0)


@records.command("rotate-key")
@click.option("--generate", is_flag=True,
              help="Generar una clave nueva en instance/ (solo con la clave local por defecto).")
def rotate_key_command(generate: bool):
    """Vuelve a sellar todo el contenido con la clave de datos actual.

    Detenga los servidores antes y vuelva a iniciarlos después: un servidor en marcha sigue
    sellando con la clave anterior."""
    key_file, former_file = local_key_files()
    if generate:
        refusal = refusal_to_generate(key_file)
        if refusal:
            click.echo(f"✗ {refusal}", err=True)
            sys.exit(1)
        set_aside_and_replace_key(key_file, former_file)
    elif not current_app.config.get("OLD_DATA_KEYS"):
        click.echo(_("Aviso: no hay claves anteriores (%(variable)s); todo se vuelve a sellar "
                     "con la misma clave.", variable="WEBFORMS_OLD_DATA_KEYS"))
    try:
        report = retention.rotate_data_key()
    except retention.UnreadableContent as error:
        click.echo(_("✗ No se volvió a sellar nada: %(error)s.", error=error), err=True)
        if generate:
            click.echo(_("La clave nueva y la anterior (%(file)s) se conservan: reinicie los "
                         "servidores, que abren con ambas.", file=former_file), err=True)
        sys.exit(1)
    had_former_file = former_file.exists()
    former_file.unlink(missing_ok=True)
    echo_rotation(report, discarded=former_file if had_former_file else None)


def local_key_files() -> tuple[Path, Path]:
    """The local default data key and the file of the former ones, in the instance folder."""
    instance = Path(current_app.config.get("INSTANCE_DIR") or current_app.instance_path)
    return instance / DATA_KEY_FILE, instance / FORMER_KEYS_FILE


def refusal_to_generate(key_file: Path) -> str | None:
    """Why a new key may not be generated here, or None: only the local default is ours."""
    if os.environ.get(DATA_KEY_VARIABLE):
        return _("La clave de datos viene de %(variable)s: ponga la clave nueva en esa variable y "
                 "la anterior en %(former)s, reinicie los servidores y ejecute `records "
                 "rotate-key` sin --generate.", variable=DATA_KEY_VARIABLE,
                 former="WEBFORMS_OLD_DATA_KEYS")
    if not key_file.is_file() or key_file.read_text().strip() != current_app.config["DATA_KEY"]:
        return _("La clave de datos actual no es la de %(file)s; no se generó ninguna.",
                 file=key_file)
    return None


def set_aside_and_replace_key(key_file: Path, former_file: Path) -> None:
    """Add the current key to the former ones, write a new key in its place, and use both."""
    config = current_app.config
    current = config["DATA_KEY"]
    former = [*local_former_data_keys(str(key_file.parent)), current]
    write_atomically(former_file, ("\n".join(former) + "\n").encode())
    new_key = secrets.token_hex(32)
    write_atomically(key_file, new_key.encode())
    config["DATA_KEY"] = new_key
    config["OLD_DATA_KEYS"] = list(dict.fromkeys([*config.get("OLD_DATA_KEYS", ()), *former]))


def echo_rotation(report: retention.RotationReport, discarded: Path | None) -> None:
    click.echo(_("✓ Contenido sellado de nuevo con la clave actual: %(records)d registros, "
                 "%(revisions)d revisiones, %(pending)d envíos pendientes.",
                 records=report.records, revisions=report.revisions,
                 pending=report.pending_submissions))
    click.echo(_("Copias emitidas selladas de nuevo: %(copies)d.", copies=report.copies))
    if discarded is not None:
        click.echo(_("Las claves anteriores se descartaron (%(file)s).", file=discarded))
    if os.environ.get("WEBFORMS_OLD_DATA_KEYS"):
        click.echo(_("Quite la clave anterior de %(variable)s.",
                     variable="WEBFORMS_OLD_DATA_KEYS"))
    click.echo(_("Reinicie ahora los servidores para que todos usen solo la clave actual."))
