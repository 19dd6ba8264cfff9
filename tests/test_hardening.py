"""Abuse and faults, as an attacker and a bad day would try them: every request does bounded work,
answers with a clear message and a small page, and never a 500. The work is asserted as the CPU time
this process spent on the request (whole seconds, loosely), never as wall-clock time, which a busy
machine stretches; sizes, caps and kept input above all."""
import collections
import io
import shutil
import time
import zipfile
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.accounts import ROLE_ACCOUNTS, TEAM_MEMBER
from tests.database import TEST_DATABASE_URL
from tests.factories import (
    CONFERENCE_URL,
    as_csv,
    as_xlsx,
    conference,
    faulty_app,
    person,
    post_conference,
    upload,
)
from tests.helpers import REGISTRO_URL, issue_through_page, issued_numbers, sign_in, valid_registro
from webforms.documents import embedded_data as embedded

ONE_MB = 1024 * 1024


def timed(call):
    """The response and the CPU seconds this process spent making it: the work done, which other
    processes on the machine (another test worker, a suite beside this one) do not lengthen."""
    start = time.process_time()
    response = call()
    return response, time.process_time() - start


# --- bounded work per request -------------------------------------------------------------------
@pytest.mark.parametrize("csrf", [False, True])
def test_a_flood_of_row_fields_is_refused_before_any_work(app, client, csrf):
    app.config["WTF_CSRF_ENABLED"] = csrf
    body = urlencode([(f"workers-{index}-name", "x") for index in range(30_000)])
    response, seconds = timed(lambda: client.post(
        REGISTRO_URL, data=body, content_type="application/x-www-form-urlencoded"))
    assert response.status_code == 413
    assert seconds < 2 and len(response.data) < ONE_MB
    assert "supera el tamaño máximo" in unescape(response.get_data(as_text=True))


def test_rows_beyond_a_groups_maximum_are_not_read_and_are_reported(client):
    data = valid_registro()
    for index in range(300):
        data[f"supervisor_actions-{index}-action"] = "Acción"
        data[f"supervisor_actions-{index}-responsible"] = "Ana"
    response, seconds = timed(lambda: issue_through_page(client, REGISTRO_URL, data=data))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and seconds < 2 and len(response.data) < ONE_MB
    assert "Como máximo 40 filas." in page
    assert page.count('name="supervisor_actions-') <= 40 * 4 + 10  # the 40 rows, not 300
    assert 'value="Marta Gómez"' in page  # what was typed is kept


@pytest.mark.parametrize("index", ["²", "99999999999", "-1", "1e9", "٣"])
def test_row_indexes_are_read_strictly(client, index):
    data = valid_registro() | {f"workers-{index}-name": "Intruso"}
    response = issue_through_page(client, REGISTRO_URL, data=data)
    assert response.status_code == 200  # the odd key is ignored, the document is produced
    assert "Intruso" not in response.data.decode("latin-1")


def test_csrf_failure_page_shows_the_form_again_bounded(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    data = valid_registro()
    for index in range(400):
        data[f"workers-{index}-name"] = f"Trabajador {index}"
    response, seconds = timed(lambda: issue_through_page(client, REGISTRO_URL, data=data))
    assert response.status_code == 400 and seconds < 2 and len(response.data) < ONE_MB
    assert "Trabajador 39" in unescape(response.get_data(as_text=True))


# --- safe uploads -------------------------------------------------------------------------------
def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet's XML is replaced."""
    source = zipfile.ZipFile(io.BytesIO(as_xlsx([person(1)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item, data)
    return buffer.getvalue()


SHEET = (b'<?xml version="1.0" encoding="UTF-8"?>'
         b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         b'<sheetData>%s</sheetData></worksheet>')

HOSTILE_SHEETS = {
    "a million declared rows": SHEET % (b"<row/>" * 1_000_000),
    "one row of 1.2 million cells": SHEET % (b'<row r="1">' + b"<c><v>1</v></c>" * 1_200_000
                                            + b"</row>"),
    "an external entity": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM '
                           b'"file:///etc/passwd">]>' + SHEET[38:] % b'<row r="1"><c t="inlineStr">'
                           b'<is><t>&e;</t></is></c></row>'),
    "entity expansion": (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                         b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + SHEET[38:] %
                         b'<row r="1"><c t="inlineStr"><is><t>&b;</t></is></c></row>'),
    "truncated XML": (SHEET % b'<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>')[:-30],
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SHEETS))
def test_hostile_spreadsheets_are_refused_quickly_with_a_clear_message(client, name):
    data = xlsx_with_sheet(HOSTILE_SHEETS[name])
    assert len(data) < 2 * ONE_MB
    response, seconds = timed(lambda: upload(client, data, "lista.xlsx"))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400, page[:500]
    assert seconds < 2 and len(response.data) < ONE_MB
    assert any(message in page for message in (
        "demasiadas filas o celdas", "declaraciones XML no permitidas", "No se pudo leer el archivo",
        "demasiado grande una vez abierto")), page[:2000]
    assert "/etc/passwd" not in page and "root:" not in page


def test_a_column_named_twice_is_refused_by_name(client):
    text = as_csv([person(1)]).decode("utf-8-sig").splitlines()
    text[0] += ";Lugar de destino"
    text[1] += ";Otra ciudad"
    response = upload(client, "\n".join(text).encode(), "lista.csv")
    assert response.status_code == 400
    assert "La columna «Lugar de destino» aparece dos veces." in unescape(
        response.get_data(as_text=True))


def test_a_semicolon_csv_with_formulas_is_read_with_its_separator(client):
    rows = [person(1, **{"Duración": "=1+1 meses"}), person(2)]
    response = upload(client, as_csv(rows, delimiter=";"), "lista.csv")
    assert response.status_code in (303, 422)
    assert "Columnas desconocidas" not in unescape(response.get_data(as_text=True))


def test_example_files_are_formula_safe():
    from webforms.common.cells import formula_safe

    assert formula_safe("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert [formula_safe(value) for value in ("+1", "-1", "@x", "Ana")] == ["'+1", "'-1", "'@x",
                                                                          "Ana"]


# --- redirects, invisible text, HEAD, HSTS ----------------------------------------------------
@pytest.mark.parametrize("target", [
    "//evil.com", "/\\evil.com", "/%09/evil.com", "/\t/evil.com", "/%0a/evil.com", "/\n/evil.com",
    "/%0d/evil.com", "https://evil.com", "javascript:alert(1)", "/ /evil.com", "%2F%2Fevil.com",
    "/\x7f/evil.com"])
def test_language_switch_only_returns_to_this_site(client, target):
    response = client.get("/idioma/en", query_string={"next": target})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//"))
    assert "evil.com" not in location.split("?")[0].lstrip("/").split("/")[0]


def test_language_switch_returns_to_a_page_of_this_site(client):
    response = client.get("/idioma/en", query_string={"next": "/formularios/mesa_interna?x=1"})
    assert response.headers["Location"] == "/formularios/mesa_interna?x=1"


@pytest.mark.parametrize("invisible", ["\u200b", " \u200b\u200c\u200d ", "\u2060\ufeff", "\u200e"])
def test_invisible_text_does_not_satisfy_a_required_field(client, invisible):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(supervisor_name=invisible))
    assert response.status_code == 400
    assert 'id="supervisor_name-error"' in response.get_data(as_text=True)


def test_head_answers_like_get_without_a_body(client):
    response = client.head(REGISTRO_URL)
    assert response.status_code == 200 and response.data == b""


def test_hsts_only_in_production(app, client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    app.config["ENV_NAME"] = "production"
    assert "max-age=" in client.get("/").headers["Strict-Transport-Security"]


# --- faults keep the form -----------------------------------------------------------------------


def break_output(app, tmp_path):
    shutil.rmtree(tmp_path / "output", ignore_errors=True)
    (tmp_path / "output").write_text("a file where the output folder should be")


def registro_template(app) -> Path:
    """The .docx of the Registro's current version, as the app's catalogue names it."""
    from webforms.common.catalogue import catalogue

    with app.app_context():
        template = catalogue().get("registro_reunion").template
    assert template.is_file() and template.is_relative_to(app.config["DOC_TEMPLATES_DIR"])
    return template


def break_template(app, tmp_path):
    registro_template(app).write_bytes(b"not a zip")


def remove_template(app, tmp_path):
    registro_template(app).unlink()


def break_catalogue(app, tmp_path):
    path = tmp_path / "doc_templates" / "catalogue.toml"
    path.write_text(path.read_text("utf-8").replace("[documents.registro_reunion]",
                                                    "[documents.registro_reunion"), "utf-8")


@pytest.mark.parametrize("fault", [break_template, remove_template, break_catalogue])
def test_a_fault_keeps_the_form_and_takes_no_number(tmp_path, fault):
    app = faulty_app(tmp_path)
    client = sign_in(app.test_client(), TEAM_MEMBER)
    assert issue_through_page(client, REGISTRO_URL, data=valid_registro()).status_code == 200
    before = issued_numbers(app)
    fault(app, tmp_path)
    data = valid_registro(complex_cases="Caso GC-17: revisar la ruta con salud.")
    response, seconds = timed(lambda: issue_through_page(client, REGISTRO_URL, data=data))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 503 and seconds < 2
    assert "Sus datos se conservaron y no se usó ningún número" in page
    assert "Caso GC-17: revisar la ruta con salud." in page and 'value="Marta Gómez"' in page
    assert issued_numbers(app) == before


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="breaks the SQLite file of the database")
def test_a_database_that_cannot_be_opened_keeps_the_form(tmp_path):
    from webforms.storage.database import db

    app = faulty_app(tmp_path)
    client = sign_in(app.test_client(), TEAM_MEMBER)
    database = Path(app.config["DATABASE"])
    with app.app_context():
        db.engine.dispose()
    database.unlink()
    database.mkdir()  # a folder where the database file was: it cannot be opened
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert response.status_code == 503
    assert 'value="Marta Gómez"' in response.get_data(as_text=True)


def test_pages_still_show_while_the_catalogue_is_broken(tmp_path):
    app = faulty_app(tmp_path)
    client = sign_in(app.test_client(), TEAM_MEMBER)
    break_catalogue(app, tmp_path)
    assert client.get("/").status_code == 200
    assert client.get(REGISTRO_URL).status_code == 200


@pytest.mark.parametrize("fault, dependency", [(break_output, "storage"),
                                               (break_template, "templates"),
                                               (break_catalogue, "templates")])
def test_health_names_the_dependency_that_is_down(tmp_path, fault, dependency):
    app = faulty_app(tmp_path)
    client = sign_in(app.test_client(), TEAM_MEMBER)
    issue_through_page(client, REGISTRO_URL, data=valid_registro())
    fault(app, tmp_path)
    response = client.get("/healthz")
    assert response.status_code == 503
    states = response.get_json()["dependencies"]
    assert states[dependency].startswith("down: ") and states["database"] == "ok"


# --- tampered documents loaded as the previous conference ---------------------------------------
def with_record(data: bytes, change) -> bytes:
    """A copy of an issued .docx whose embedded record was edited by ``change(record)``."""
    import json

    from webforms.documents.embedded_data import read_embedded_data

    record = read_embedded_data(data)
    change(record)
    return with_record_text(data, json.dumps(record).replace("&", "&amp;").replace("<", "&lt;"))


def with_record_text(data: bytes, text: str) -> bytes:
    """A copy of an issued .docx whose embedded record's text (JSON, escaped for XML) is
    ``text``."""
    from webforms.documents.embedded_data import NAMESPACE

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("customXml/item") and NAMESPACE.encode() in content:
                content = (f'<?xml version="1.0" encoding="UTF-8"?><record xmlns="{NAMESPACE}">'
                           ).encode() + text.encode() + b"</record>"
            target.writestr(item, content)
    return buffer.getvalue()


def load_as_previous(client, document: bytes):
    data = conference(client)
    data["row_action"] = "load:previous"
    data["previous_document"] = (io.BytesIO(document), "anterior.docx")
    return issue_through_page(client, CONFERENCE_URL, data=data, content_type="multipart/form-data")


def issued_conference(client) -> bytes:
    return post_conference(client).data


def hundred_thousand_actions(record):
    row = record["data"]["action_plan"][0]
    record["data"]["action_plan"] = [row] * 100_000


@pytest.mark.parametrize("change", [
    hundred_thousand_actions,
    lambda record: record["data"].update(action_plan="una cadena donde va una lista"),
    lambda record: record["data"].update(action_plan=[{"action": {"x": 1}}]),
    lambda record: record["data"].update(action_plan=[{"action": "x" * 100_000}]),
    lambda record: record["data"].update(campo_inventado="x"),
    lambda record: record.update(data=["no", "es", "un", "objeto"]),
    lambda record: record["data"].update(action_plan=5),
    lambda record: record["data"].update(commitments=7.5),
    lambda record: record["data"].update(operator_participants=12),
    lambda record: record["data"].update(operator_participants="una cadena"),
    lambda record: record.update(document=["conferencia_ampliada"]),
    lambda record: record.update(data=5),
], ids=["100k rows", "string for a list", "object for a text", "huge text", "unknown field",
        "list for the data", "number for a list", "number for renamed rows",
        "number for rows with renamed values", "string for rows with renamed values",
        "list for the document", "number for the data"])
def test_tampered_embedded_data_is_refused_with_a_clear_message(client, change):
    tampered = with_record(issued_conference(client), change)
    response, seconds = timed(lambda: load_as_previous(client, tampered))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and seconds < 2 and len(response.data) < ONE_MB
    assert "no es un documento generado por esta aplicación, o está dañado" in page
    assert 'value="Regional Norte de Santander"' in page  # the form being filled is kept


def test_a_previous_conference_fills_at_most_the_rows_a_group_takes(client):
    def forty_five_actions(record):
        row = record["data"]["action_plan"][0]
        record["data"]["action_plan"] = [row | {"action": f"Acción {n}"} for n in range(40)]

    response = load_as_previous(client, with_record(issued_conference(client),
                                                    forty_five_actions))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert page.count('name="commitments-') <= 40 * 5 + 5


@pytest.mark.parametrize("nested", [
    '{"document": "conferencia_ampliada", "data": {"action_plan": ' + "[" * 100_000
    + "]" * 100_000 + "}}",
    '{"document": "conferencia_ampliada", "data": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000
    + "}",
], ids=["lists", "objects"])
def test_deeply_nested_embedded_data_is_refused_with_a_clear_message(client, nested):
    tampered = with_record_text(issued_conference(client), nested)
    response, seconds = timed(lambda: load_as_previous(client, tampered))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400 and seconds < 2
    assert "no es un documento generado por esta aplicación, o está dañado" in page
    assert 'value="Regional Norte de Santander"' in page  # the form being filled is kept


def test_a_small_docx_with_oversized_parts_is_read_only_where_the_record_is(client, monkeypatch):
    """A small upload whose Custom XML parts expand to megabytes each: only the record's part
    is read whole and parsed; of the others no more than their first bytes are inflated (the
    work is counted in bytes, not timed)."""
    document = io.BytesIO(issued_conference(client))
    with zipfile.ZipFile(document, "a", zipfile.ZIP_DEFLATED) as package:
        for number in range(50, 75):
            package.writestr(f"customXml/item{number}.xml",
                             b"<a>" + b"<b>x</b>" * (250 * 1024) + b"</a>")
    assert len(document.getvalue()) < 200 * 1024
    inflated = collections.Counter()
    read = zipfile.ZipExtFile.read

    def counted_read(part, size=-1):
        data = read(part, size)
        inflated[part.name] += len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted_read)
    response = load_as_previous(client, document.getvalue())
    assert response.status_code == 200
    assert "de la conferencia anterior" in unescape(response.get_data(as_text=True))  # loaded
    oversized = {f"customXml/item{number}.xml" for number in range(50, 75)}
    assert max(inflated[name] for name in oversized) <= embedded.HEAD_BYTES, inflated


def test_a_csv_cell_over_the_csv_limit_is_refused_with_a_clear_message(client):
    data = as_csv([person(1, **{"Lugar de destino": "x" * (130 * 1024)})])
    response = upload(client, data, "lista.csv")
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 400, page[:500]
    assert "una celda es demasiado larga o tiene comillas sin cerrar" in page
    assert 'name="spreadsheet"' in page  # the upload page again


# --- what browsers and proxies may keep ---------------------------------------------------------
def test_no_page_a_signed_in_user_sees_is_kept_by_a_cache(app, client, anonymous):
    admin = sign_in(app.test_client(), ROLE_ACCOUNTS["admin"])
    for user, url in ((client, "/"), (client, REGISTRO_URL), (client, "/registros/"),
                      (client, "/formularios/tdr_gestor_casos/lote/"), (admin, "/auditoria")):
        response = user.get(url)
        assert response.status_code == 200, url
        assert response.headers.get("Cache-Control") == "no-store", url
    assert "no-store" not in client.get("/static/style.css").headers.get("Cache-Control", "")
    assert "no-store" not in anonymous.get("/").headers.get("Cache-Control", "")
