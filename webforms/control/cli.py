"""The quality office's commands: ``flask --app wsgi templates …``; and ``records verify-file``,
the /verificar page's check of a file, offline (here, above the records it reads: the records'
own command group takes it)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from webforms.common.catalogue import catalogue
from webforms.control import service as control
from webforms.control import verification
from webforms.documents.authoring import starter_template
from webforms.documents.contexts import empty_form
from webforms.forms import FORMS
from webforms.records.cli import records

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


@records.command("verify-file")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_file_command(file: Path):
    """Verifica FILE (una copia .docx o PDF) como /verificar: número, revisión, firma."""
    data = file.read_bytes()
    if len(data) > current_app.config["MAX_CONTENT_LENGTH"]:
        click.echo("✗ " + _("El archivo es mayor que el límite de %(size)d bytes.",
                     size=current_app.config["MAX_CONTENT_LENGTH"]), err=True)
        sys.exit(1)
    result = verification.verify_file(data)
    for line in file_report(result):
        click.echo(line)
    sys.exit(0 if result.match is not None and not result.match.annulled else 1)


def file_report(result: verification.FileVerification) -> list[str]:
    """What /verificar says of a file, as lines."""
    found = result.match
    if found is None:
        lines = ["✗ " + (_("No emitido aquí: firmado con otra clave.")
                         if result.signature_state == "foreign"
                         else _("El archivo no coincide con ninguna copia emitida."))]
    else:
        lines = ["✓ " + _("Copia emitida, sin cambios: %(number)s (%(format)s)",
                          number=found.label, format=result.format)]
        lines.append("  " + (_("Anulado.") if found.annulled else _(
            "Reemplazada por la rev. %(revision)d.", revision=found.newer.revision)
            if found.newer else _("Es la revisión vigente de este número.")))
    return lines + signature_report(result)


def signature_report(result: verification.FileVerification) -> list[str]:
    check = result.signature
    if check is None:
        return []
    states = {"valid": _("válida, de la organización, sin cambios"),
              "invalid": _("no válida: el archivo cambió después de firmarse"),
              "foreign": _("de otra clave: no emitido aquí"), "none": _("sin firma")}
    lines = [_("Firma: %(state)s", state=states[result.signature_state])]
    if check.signed:
        lines += [_("Firmante: %(signer)s", signer=check.signer),
                  _("Firmado el: %(time)s", time=check.signed_at.isoformat()
                    if check.signed_at else "-"),
                  _("Sello de tiempo: %(time)s", time=check.timestamp.isoformat()
                    if check.timestamp else "-"),
                  _("Cadena hasta el certificado de confianza: %(answer)s",
                    answer=_("sí") if check.trusted else _("no"))]
    if result.self_signed:
        lines.append(_("(certificado autofirmado de esta instalación)"))
    return ["  " + line for line in lines]
