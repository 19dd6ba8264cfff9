"""The audit trail from the command line: ``flask --app wsgi audit verify``.

Checking the chain is a command, not a page: it reads every entry, and it must work when the
web server does not (an auditor's copy of the database, a cron job that alerts on exit status 1).
A chain that holds is anchored: a checkpoint line is appended to the checkpoint file and printed,
so it can be kept elsewhere too (see audit.trail).
"""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from webforms.audit import trail as trail

audit = AppGroup("audit", help="Registro de auditoría.")

# What each problem means, for the person reading the output (see audit.trail.BrokenEntry).
PROBLEMS = {
    "altered": "su contenido ya no corresponde a su huella (la fila se modificó a mano)",
    "rehashed": "se modificó y se recalculó su huella; la entrada siguiente ya no la continúa",
    "missing": "falta (la fila se borró)",
    "inserted": "no pertenece a la cadena (la fila se agregó a mano)",
    "unlinked": "no empieza la cadena (se borraron o agregaron entradas antes de ella)",
    "head": "no coincide con el final de la cadena guardado en audit_head",
    "unkeyed": "falta la entrada que protege la cadena con la clave de auditoría (la cadena se "
               "rehízo sin la clave)",
    "truncated": "falta, y todas las siguientes: la cadena es más corta que en el último punto "
                 "de control (se borraron las entradas más recientes)",
    "rewritten": "no es la que registró el último punto de control (la cadena se reescribió)",
    "checkpoint": "el último punto de control del archivo no fue escrito con la clave de "
                  "auditoría (el archivo se modificó)",
}


@audit.command("verify")
def verify_command():
    """Comprueba la cadena de huellas del registro de auditoría."""
    broken, line = trail.checkpoint()
    if broken is not None:
        click.echo(f"✗ Registro de auditoría alterado en la entrada {broken.entry_id}: "
                   f"{PROBLEMS[broken.problem]}.", err=True)
        sys.exit(1)
    click.echo(f"✓ Registro de auditoría íntegro: {trail.entry_count()} entradas encadenadas.")
    click.echo(f"Punto de control (guárdelo también fuera de este servidor; se añadió a "
               f"{trail.checkpoint_file()}):")
    click.echo(line)
