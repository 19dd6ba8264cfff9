"""The quality office's commands: ``flask --app wsgi templates …``."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from webforms.common.catalogue import catalogue
from webforms.control import service as control
from webforms.documents.authoring import starter_template
from webforms.documents.contexts import empty_form
from webforms.forms import FORMS

templates = AppGroup("templates", help="Plantillas de los documentos controlados.")


@templates.command("check")
def check_command():
    """Revisa todas las plantillas del catálogo."""
    results = control.check_all()
    failed = False
    for key, problems in results.items():
        document = catalogue().get(key)
        if problems:
            failed = True
            click.echo(f"✗ {document.code} {document.title}")
            for problem in problems:
                click.echo(f"    {problem}")
        else:
            click.echo(f"✓ {document.code} v{document.version} {document.title}")
    sys.exit(1 if failed else 0)


@templates.command("new-version")
@click.argument("code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--change", required=True, help="Descripción del cambio (control de cambios).")
@click.option("--date", "date_text", default=None, help="Fecha de emisión (AAAA-MM-DD); hoy por "
              "defecto.")
def new_version_command(code: str, file: Path, change: str, date_text: str | None):
    """Registra FILE como nueva versión del documento CODE."""
    try:
        date = dt.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise click.BadParameter("use AAAA-MM-DD", param_hint="--date") from None
    document, problems = control.add_version(code, file, change, date)
    if problems:
        click.echo(f"✗ La nueva versión de {code} no se registró:", err=True)
        for problem in problems:
            click.echo(f"    {problem}", err=True)
        sys.exit(1)
    click.echo(f"✓ {document.code} versión {document.version} ({document.issued.isoformat()}): "
               f"{document.title}")


@templates.command("reproduce")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def reproduce_command(source: Path, target: Path):
    """Vuelve a generar SOURCE (un documento emitido) con la versión de plantilla que lo produjo."""
    try:
        rendered = control.reproduce(source.read_bytes())
    except control.ReproductionError as error:
        click.echo(f"✗ {error}", err=True)
        sys.exit(1)
    target.write_bytes(rendered.data)
    click.echo(f"✓ {rendered.issue.number} (v{rendered.issue.version}) → {target}")


@templates.command("scaffold")
@click.argument("key")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", default=None, help="Título del documento (por defecto, el del catálogo).")
def scaffold_command(key: str, target: Path, title: str | None):
    """Escribe en TARGET una plantilla inicial para el formulario KEY, con todas sus etiquetas."""
    if key not in FORMS:
        click.echo(f"✗ No hay ningún formulario «{key}». Formularios: {', '.join(sorted(FORMS))}",
                   err=True)
        sys.exit(1)
    document = catalogue().get(key)
    starter_template(empty_form(key), title or (document.title if document else key), target)
    click.echo(f"✓ {target}: ábrala en Word, dele forma y revísela con «templates check».")


@templates.command("list")
def list_command():
    """Lista maestra de documentos."""
    for document in catalogue():
        click.echo(f"{document.code}\tv{document.version}\t{document.issued.isoformat()}\t"
                   f"{status_label(document)}\t{document.title}")


def status_label(document) -> str:
    return "vigente" if document.is_current else "obsoleto"
