"""Babel extractors for the translatable texts that do not live in Python or HTML files.

- ``extract_docx``: the ``{{ _("…") }}`` texts of the .docx templates, read the way docxtpl reads
  them, so a quality officer's new wording reaches the translators with ``pybabel extract``.
- ``extract_criteria``: the texts of the quality criteria data file (guide G34.P, Tablas 2–4).
"""
from __future__ import annotations

import io
import tomllib
import zipfile

from docxtpl import DocxTemplate
from jinja2.ext import babel_extract

PARTS = ("word/document.xml", "word/header", "word/footer")


def extract_docx(fileobj, keywords, comment_tags, options):
    patcher = DocxTemplate(None)
    with zipfile.ZipFile(fileobj) as package:
        for name in sorted(package.namelist()):
            if not name.startswith(PARTS) or not name.endswith(".xml"):
                continue
            xml = patcher.patch_xml(package.read(name).decode("utf-8"))
            yield from babel_extract(io.BytesIO(xml.encode("utf-8")), keywords, comment_tags,
                                     options)


def extract_criteria(fileobj, keywords, comment_tags, options):
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    texts = [data.get("source", "")]
    for moment in data.get("moments", []):
        texts += [moment.get(key, "") for key in ("milestone", "moment", "intro", "note")]
        for criterion in moment.get("criteria", []):
            texts += [criterion.get("group", ""), criterion["text"]]
    for group in data.get("techniques", []) + data.get("management_levels", []):
        texts += [group["name"], *group["actions"]]
    seen = set()
    for text in texts:
        if text and text not in seen:
            seen.add(text)
            yield 1, None, text, []
