import datetime as dt
import shutil

import pytest

from webforms.catalogue import CatalogueError, load_catalogue
from webforms.config import PROJECT_ROOT

SHIPPED = PROJECT_ROOT / "doc_templates"

ENTRY = """
[organization]
name = "ORG"

[documents.a]
title = "Documento A"
process = "Proceso X"
code = "F9.X"
version = 2
issued = 2026-01-15
template = "a.docx"

[[documents.a.changes]]
date = 2025-01-01
version = 1
description = "Creación"

[[documents.a.changes]]
date = 2026-01-15
version = 2
description = "Revisión"
"""


@pytest.fixture
def folder(tmp_path):
    shutil.copy(SHIPPED / "registro_reunion.docx", tmp_path / "a.docx")
    return tmp_path


def write(folder, text):
    (folder / "catalogue.toml").write_text(text, encoding="utf-8")
    return folder


def test_shipped_catalogue_loads():
    catalogue = load_catalogue(SHIPPED)
    registro = catalogue.get("registro_reunion")
    assert registro.code == "F1.G34.P"
    assert registro.version == 3
    assert registro.changes[-1].version == 3
    assert catalogue.organization == "BIENESTAR FAMILIAR"


def test_valid_entry_with_history(folder):
    document = load_catalogue(write(folder, ENTRY)).get("a")
    assert document.issued == dt.date(2026, 1, 15)
    assert [change.version for change in document.changes] == [1, 2]


@pytest.mark.parametrize("broken, message", [
    (ENTRY.replace('code = "F9.X"\n', ""), "[documents.a]: 'code' must be a str"),
    (ENTRY.replace("version = 2\nissued", "version = 3\nissued"), "must end with version 3"),
    (ENTRY.replace('template = "a.docx"', 'template = "missing.docx"'), "does not exist"),
    (ENTRY.replace("issued = 2026-01-15", 'issued = "ayer"'), "'issued' must be a date"),
    (ENTRY + ENTRY.split("\n", 3)[3].replace("documents.a", "documents.b"), "already used"),
    ("[organization\n", "catalogue.toml"),
])
def test_broken_catalogue_names_the_problem(folder, broken, message):
    with pytest.raises(CatalogueError) as error:
        load_catalogue(write(folder, broken))
    assert message in str(error.value)
