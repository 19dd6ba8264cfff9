"""Helpers available in every page template."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import Response, get_template_attribute, request, send_file, stream_with_context
from flask_babel import format_date, format_datetime, format_decimal
from wtforms import FieldList, FormField

from webforms.common.dates import written
from webforms.extensions import interface_language
from webforms.forms.base import DOCUMENT_LANGUAGES, default_document_language, own_errors
from webforms.forms.fields import RowGroup, ShownWhen


@dataclass(frozen=True)
class NameList:
    """Names a page offers for some of its fields (an HTML ``<datalist>``: chosen or typed), as
    the team's roster for the workers of a form (records.fill_views)."""

    list_id: str
    names: tuple[str, ...]
    offered: Callable[[str], bool]

    def offers(self, field_name: str) -> bool:
        return bool(self.names) and self.offered(field_name)


def field_attrs(field, warnings: dict, focus: str | None, names: NameList | None = None) -> dict:
    """ARIA attributes that tie a field to its help, error and warning texts; the list of
    ``names`` it offers, if any."""
    described = [f"{field.id}-{kind}" for kind, present in (
        ("help", field.description), ("error", own_errors(field)),
        ("warning", warnings.get(field.name))) if present]
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if own_errors(field):
        attrs["aria-invalid"] = "true"
    if focus == field.id:
        attrs["autofocus"] = True
    if names and names.offers(field.name):
        attrs["list"] = names.list_id
    return attrs


def show_when(field) -> str:
    """``other=value|value`` when the field only applies for those answers of another field (a
    :class:`ShownWhen`, e.g. :class:`RequiredIf`): ``other`` is the name that field has on the
    page (in a row, the row's own field) and a ticked box's value is ``y``. The page script then
    hides the field otherwise. Without JavaScript it stays."""
    for validator in field.validators:
        if isinstance(validator, ShownWhen):
            prefix = field.name[:len(field.name) - len(field.short_name)]
            values = "|".join("y" if value is True else str(value) for value in validator.values)
            return f"{prefix}{validator.other}={values}"
    return ""


def section_show_when(form, names) -> str:
    """The rule of a page section whose fields all share one (a checklist's moment): the
    section's title is hidden with them."""
    rules = {show_when(form[name]) for name in names}
    return rules.pop() if len(rules) == 1 else ""


def same_site_path(target: str | None, fallback: str) -> str:
    """``target`` when it is a path of this site, ``fallback`` otherwise.

    Browsers drop tabs and line breaks inside a URL and read ``\\`` as ``/``, so ``/\t/evil.com``
    would lead to ``//evil.com``: any control character, space or backslash refuses the target.
    """
    target = target or ""
    if (not target.startswith("/") or target.startswith("//") or len(target) > 2000
            or any(ord(char) < 0x21 or ord(char) == 0x7F or char == "\\" for char in target)):
        return fallback
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else fallback


def attachment(content: bytes | Path, mimetype: str, name: str):
    """A download: ``content`` (bytes, or a file kept by storage) saved by the browser as
    ``name``, never cached (it may hold what someone typed about cases)."""
    source = BytesIO(content) if isinstance(content, bytes) else content
    return send_file(source, mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)


def streamed_attachment(chunks: Iterable[bytes | str], mimetype: str, name: str) -> Response:
    """A download sent as ``chunks`` come (a long export, a batch's ZIP), never whole in memory;
    saved as ``name`` like :func:`attachment` (security headers add ``no-store``)."""
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", **_download_names(name))
    return response


def _download_names(name: str) -> dict[str, str]:
    """``filename`` for every browser and, for a name beyond ASCII, ``filename*`` in UTF-8 (as
    Flask's ``send_file`` writes them)."""
    if name.isascii():
        return {"filename": name}
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return {"filename": simple, "filename*": f"UTF-8''{quote(name, safe='!#$&+-.^_`|~')}"}


def requested_document_language() -> str:
    """``?idioma=en`` picks the language of a printed document; by default the interface's when
    documents can be written in it, Spanish otherwise."""
    chosen = request.args.get("idioma")
    return chosen if chosen in dict(DOCUMENT_LANGUAGES) else default_document_language()


# Each language in its own name, as a switcher shows them.
LANGUAGE_NAMES = {"es": "Español", "en": "English", "fr": "Français", "pt": "Português"}


def row_template(field):
    """An empty row of a repeatable group, named with the placeholder ``__index__``.

    Built like FieldList builds its rows, so it carries the row form's defaults."""
    options = {"name": f"{field.name}{field._separator}__index__",
               "id": f"{field.id}{field._separator}__index__",
               "_meta": field.meta, "translations": field._translations}
    entry = field.meta.bind_field(field._form, field.unbound_field, options)
    entry.process(None)
    return entry


def filesize(path) -> str:
    """A file's size as a person reads it: 48 KB, 1.2 MB."""
    size = Path(path).stat().st_size
    if size < 1024 * 1024:
        return format_decimal(max(1, round(size / 1024))) + " KB"
    return format_decimal(round(size / (1024 * 1024), 1)) + " MB"


def form_problems(form) -> list[tuple[str, str, str]]:
    """Every error of the form, nested rows included, as (field id, label, message)."""
    problems = []

    def visit(field, prefix=""):
        if isinstance(field, FieldList):
            for message in own_errors(field):
                problems.append((field.id, str(field.label.text), message))
            for number, entry in enumerate(field.entries, start=1):
                for sub in entry.form:
                    visit(sub, f"{field.label.text} {number} · ")
            return
        if isinstance(field, FormField):
            for sub in field.form:
                visit(sub, prefix)
            return
        for message in own_errors(field):
            problems.append((field.id, f"{prefix}{field.label.text}", message))

    for field in form:
        visit(field)
    return problems


def init_app(app) -> None:
    app.add_template_filter(written, "when")

    @app.context_processor
    def page_helpers():
        return {
            "current_locale": lambda: interface_language(),
            "localized": lambda document: document.localized(interface_language()),
            "languages": LANGUAGE_NAMES,
            "format_date": format_date,
            "format_datetime": format_datetime,
            "filesize": filesize,
            "field_attrs": field_attrs,
            "form_problems": form_problems,
            "own_errors": own_errors,
            "row_settings": RowGroup.of,
            "row_template": row_template,
            "show_when": show_when,
            "section_show_when": section_show_when,
            "is_guidance": lambda value: isinstance(value, (list, tuple)),
            "introduction": get_template_attribute("_page.html", "introduction"),
        }
