"""Checks a .docx template must pass before it can reach a field office.

Each problem names the template, the part (body, header, footer) and the tag, in words a quality
officer who edits the template in Word can act on.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from flask_babel import gettext as _
from jinja2 import TemplateSyntaxError
from lxml import etree

from webforms.documents.environment import document_environment
from webforms.documents.usage import TEMPLATED_PART, TemplateUsage, template_usage

MACRO_CONTENT_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
SMART_QUOTES = "“”‘’„«»"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Problem:
    template: str
    part: str
    tag: str
    message: str

    def __str__(self) -> str:
        where = f"{self.template} · {self.part}"
        return f"{where} · {self.tag}: {self.message}" if self.tag else f"{where}: {self.message}"


def check_template(path: Path) -> list[Problem]:
    """Everything wrong with one template as a file; an empty list means it can be read.

    What it must show is checked against a form by :func:`content_problems`.
    """
    name = Path(path).name
    data = Path(path).read_bytes()
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
        if "word/document.xml" not in names or "[Content_Types].xml" not in names:
            raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        return [Problem(name, _("archivo"), "", _("No es un documento de Word (.docx)."))]

    problems = []
    with package:
        content_types = package.read("[Content_Types].xml").decode("utf-8", "replace")
        if MACRO_CONTENT_TYPE in content_types or any(n.endswith("vbaProject.bin")
                                                      for n in names):
            problems.append(Problem(name, _("archivo"), "", _(
                "Contiene macros (.docm). Guárdelo como «Documento de Word (.docx)».")))
        problems += _external_links(name, package)
        problems += _tag_problems(name, package)
    return problems


def part_label(part_name: str) -> str:
    kind = part_name.split("/")[-1].split(".")[0].rstrip("0123456789")
    return {"document": _("cuerpo"), "header": _("encabezado"), "footer": _("pie de página"),
            "footnotes": _("notas al pie"), "endnotes": _("notas finales")}.get(kind, part_name)


def _external_links(name, package) -> list[Problem]:
    problems = []
    for rels in (n for n in package.namelist() if n.endswith(".rels")):
        root = etree.fromstring(package.read(rels))
        for relation in root:
            if relation.get("TargetMode") == "External":
                problems.append(Problem(name, rels, relation.get("Target", ""), _(
                    "Tiene un vínculo externo. Quite el vínculo o inserte el contenido en el "
                    "documento.")))
    return problems


def _tag_problems(name, package) -> list[Problem]:
    """Smart quotes in tags and Jinja syntax errors, part by part."""
    problems = []
    patcher = DocxTemplate(None)
    environment = document_environment()
    for part_name in sorted(n for n in package.namelist() if TEMPLATED_PART.fullmatch(n)):
        raw = package.read(part_name).decode("utf-8")
        label = part_label(part_name)
        # docxtpl straightens quotes when it prepares a template, so look before it does.
        for paragraph in _PARAGRAPH.findall(raw):
            for tag in _TAG.findall(_visible(paragraph, spaced=False)):
                if any(quote in tag for quote in SMART_QUOTES):
                    problems.append(Problem(name, label, tag, _(
                        "Tiene comillas tipográficas (“ ” ‘ ’). Escríbalas rectas (\" o ') o "
                        "desactive en Word la autocorrección de comillas.")))
        xml = patcher.patch_xml(raw)
        try:
            environment.parse(xml)
        except TemplateSyntaxError as error:
            lines = xml.splitlines()
            line = lines[error.lineno - 1] if error.lineno and error.lineno <= len(lines) else ""
            tags = [_visible(tag) for tag in _TAG.findall(line)] or [_visible(line)[:80]]
            problems.append(Problem(name, label, tags[-1], _(
                "La etiqueta no es válida: %(detail)s", detail=error.message)))
    return problems


def content_problems(path: Path, context: dict, shown: dict[str, object] | None = None
                     ) -> list[Problem]:
    """What the template shows against what it is given.

    ``context`` is a sample context in which every list holds rows. ``shown`` maps each form field
    that must appear to its place in the context: a name (``"meeting_date"``) or, for a row group, a
    :class:`RowsShown` (where its rows are looped and which fields each row has).
    Every placeholder must have a value, every row field printed must exist in the rows, and every
    form field, in a row or not, must be shown.
    """
    name = Path(path).name
    usage = template_usage(path)
    problems = [Problem(name, _("cuerpo"), "{{ %s }}" % variable, _(
        "El formulario no tiene este dato. Revise la ortografía del nombre."))
        for variable in sorted(usage.names - set(context) - {"_"})]
    problems += _misspelt_row_fields(name, usage, context, shown or {})
    for field_name, place in (shown or {}).items():
        problems += _unshown(name, usage, field_name, place)
    return problems


@dataclass(frozen=True)
class RowsShown:
    """A row group of the form: the context path its rows are looped over, and their fields."""

    path: str
    fields: tuple[str, ...]


def _misspelt_row_fields(name, usage: TemplateUsage, context: dict, shown: dict) -> list[Problem]:
    groups = {place.path: field for field, place in shown.items() if isinstance(place, RowsShown)}
    problems = []
    for path, used in sorted(usage.row_fields.items()):
        rows = _rows_at(context, path)
        if not rows or not all(isinstance(row, dict) for row in rows):
            continue
        known = set().union(*(row.keys() for row in rows))
        for field in sorted(used - known):
            problems.append(Problem(name, _("cuerpo"), usage.placeholder(path, field), _(
                "El grupo de filas «%(group)s» no tiene el campo «%(field)s». Revise la "
                "ortografía; campos de la fila: %(known)s.", group=groups.get(path, path),
                field=field, known=", ".join(sorted(known)))))
    return problems


def _unshown(name, usage: TemplateUsage, field: str, place) -> list[Problem]:
    if not isinstance(place, RowsShown):
        if place.split(".")[0] in usage.names:
            return []
        return [Problem(name, _("cuerpo"), "{{ %s }}" % place, _(
            "Falta el campo «%(field)s» del formulario: el documento no lo mostraría.",
            field=field))]
    if place.path not in usage.loops:
        return [Problem(name, _("cuerpo"), "{%%tr for … in %s %%}" % place.path, _(
            "Falta el grupo de filas «%(group)s»: el documento no mostraría sus filas.",
            group=field))]
    return [Problem(name, _("cuerpo"), usage.placeholder(place.path, row_field), _(
        "El grupo de filas «%(group)s» no muestra el campo «%(field)s»: sus datos se perderían.",
        group=field, field=row_field))
        for row_field in place.fields if row_field not in usage.row_fields.get(place.path, ())]


def _rows_at(context: dict, path: str) -> list:
    """The rows found at ``path`` (``reviewed.criteria``: the criteria of every reviewed item)."""
    items = [context]
    for key in path.split("."):
        found = []
        for item in items:
            value = item.get(key) if isinstance(item, dict) else getattr(item, key, None)
            found.extend(value if isinstance(value, (list, tuple)) else [value])
        items = [item for item in found if item is not None]
    return items


def frame_problems(name: str, docx, code: str) -> list[Problem]:
    """A rendered document must carry the controlled header: the code and the page fields."""
    problems = []
    for index, section in enumerate(docx.sections, start=1):
        header = section.header._element
        text = "".join(header.itertext())
        instructions = " ".join(node.text or "" for node in header.iter(f"{W}instrText"))
        instructions += " ".join(node.get(f"{W}instr", "") for node in header.iter(f"{W}fldSimple"))
        label = _("encabezado") + (f" {index}" if len(docx.sections) > 1 else "")
        if code not in text:
            problems.append(Problem(name, label, code, _("Falta el código del documento.")))
        for field in ("PAGE", "NUMPAGES"):
            if not re.search(rf"\b{field}\b", instructions):
                problems.append(Problem(name, label, field, _(
                    "Falta el campo de Word %(field)s («Página X de Y»).", field=field)))
    return problems


def _visible(xml_fragment: str, spaced: bool = True) -> str:
    text = re.sub(r"<[^>]+>", "", xml_fragment)
    return " ".join(text.split()) if spaced else text
