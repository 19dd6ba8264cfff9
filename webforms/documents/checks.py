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

from .environment import document_environment

MACRO_CONTENT_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"
SMART_QUOTES = "“”‘’„«»"
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_PARAGRAPH = re.compile(r"<w:p[ >].*?</w:p>", re.DOTALL)
_PART_NAME = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
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


def check_template(path: Path, expected_variables: set[str] | None = None,
                   provided_variables: set[str] | None = None) -> list[Problem]:
    """Everything wrong with one template; an empty list means it may be used.

    ``expected_variables``: what the form needs shown (each must appear in the template);
    ``provided_variables``: what the form provides (every placeholder must be one of them).
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
    if not problems and (expected_variables is not None or provided_variables is not None):
        problems += _variable_problems(name, path, expected_variables, provided_variables)
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
    for part_name in sorted(n for n in package.namelist() if _PART_NAME.fullmatch(n)):
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


def _variable_problems(name, path, expected, provided) -> list[Problem]:
    template = DocxTemplate(path)
    variables = template.get_undeclared_template_variables(jinja_env=document_environment())
    problems = []
    for variable in sorted(variables - (provided or variables)):
        problems.append(Problem(name, _("cuerpo"), "{{ %s }}" % variable, _(
            "El formulario no tiene este dato. Revise la ortografía del nombre.")))
    for variable in sorted((expected or set()) - variables):
        problems.append(Problem(name, _("cuerpo"), "{{ %s }}" % variable, _(
            "Falta este dato del formulario: el documento no lo mostraría.")))
    return problems


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
