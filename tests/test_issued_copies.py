"""The exact copy, forever: the bytes of every issued copy are kept sealed and a download sends
them, whatever happens to the templates or the engine since; rendering again is only a check
(``records verify-copies``); and /verificar recognises an uploaded copy by its bytes."""
import io
import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from tests.accounts import TEAM_MEMBER
from tests.helpers import (
    REGISTRO_URL,
    SECRET,
    audit_entries,
    edited_package,
    footer_of,
    in_body,
    issue_through_page,
    needs_pdf,
    record_id_of,
    sign_in,
    stand_in_pdf,
    upload,
    valid_registro,
)
from webforms.documents import compiled
from webforms.records import issued_copies
from webforms.storage.database import db
from webforms.storage.models import IssuedCopy, Job
from webforms.storage.sealing import sealer

REGISTRO_TEMPLATE = "versions/registro_reunion/v3.docx"  # the current version's file
FAKE_PDF = stand_in_pdf("made once")


@pytest.fixture
def copies_app(make_app, templates_dir):
    return make_app(DOC_TEMPLATES_DIR=templates_dir)


@pytest.fixture
def member(copies_app):
    return sign_in(copies_app.test_client(), TEAM_MEMBER)


def issued(client, **changes):
    """A Registro issued: the response (the Word copy) and its number."""
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(supervisor_name=SECRET,
                                                                         **changes))
    number, _suffix, _code = footer_of(response)
    return response, number


def template_changed(templates_dir: Path) -> None:
    """The current template's file changed on disk (one more paragraph), and the engine's cache
    of compiled templates cleared: a copy rendered again now differs from the one issued."""
    path = templates_dir / REGISTRO_TEMPLATE
    path.write_bytes(edited_package(path.read_bytes(), lambda name, text: text.replace(
        "<w:sectPr", "<w:p><w:r><w:t>Cambio</w:t></w:r></w:p><w:sectPr", 1)
        if name == "word/document.xml" else text))
    compiled._cache.clear()


def kept(app, record_id: int, kind: str = "docx") -> IssuedCopy | None:
    with app.app_context():
        return db.session.get(IssuedCopy, (record_id, 1, kind))


def verify_copies(app):
    return app.test_cli_runner().invoke(args=["records", "verify-copies"])


# --- downloads -----------------------------------------------------------------------------------
def test_records_download_with_their_original_bytes_after_the_template_changes(
        copies_app, member, templates_dir):
    first, number = issued(member)
    second, _ = issued(member, closing_notes="Otra reunión.")
    first_id = record_id_of(copies_app, number)
    assert verify_copies(copies_app).exit_code == 0  # they render again identically, for now

    template_changed(templates_dir)

    assert member.get(f"/registros/{first_id}/documento.docx").data == first.data
    assert member.get(f"/registros/{first_id + 1}/documento.docx").data == second.data
    result = verify_copies(copies_app)  # rendering again now differs: the check says so
    assert result.exit_code == 1
    assert f"{number} rev. 1 (docx): generada de nuevo, sería distinta" in result.output


def test_a_record_issued_before_copies_were_kept_is_checked_once_then_kept(
        copies_app, member, templates_dir):
    response, number = issued(member)
    record_id = record_id_of(copies_app, number)
    with copies_app.app_context():  # as a record issued before this change: no bytes kept
        db.session.execute(delete(IssuedCopy))
        db.session.commit()

    assert member.get(f"/registros/{record_id}/documento.docx").data == response.data
    assert kept(copies_app, record_id).sha256 == issued_copies.sha256(response.data)
    template_changed(templates_dir)
    assert member.get(f"/registros/{record_id}/documento.docx").data == response.data


def test_a_record_s_pdf_is_kept_once_made_and_sent_again_as_it_was(copies_app, member,
                                                                   monkeypatch):
    monkeypatch.setattr("webforms.jobs.pdf.to_pdf", lambda *args: FAKE_PDF)
    _response, number = issued(member)
    record_id = record_id_of(copies_app, number)
    first = member.get(f"/registros/{record_id}/documento.pdf").data
    assert first.startswith(FAKE_PDF)  # signed by an incremental update: LibreOffice's bytes first
    assert kept(copies_app, record_id, "pdf").sha256 == issued_copies.sha256(first)

    monkeypatch.setattr("webforms.jobs.pdf.to_pdf", lambda *args: stand_in_pdf("made again"))
    with copies_app.app_context():  # the conversion job is gone: only the kept PDF is left
        db.session.execute(delete(Job))
        db.session.commit()
    again = member.get(f"/registros/{record_id}/documento.pdf")
    assert again.status_code == 200 and again.data == first


# --- the check -----------------------------------------------------------------------------------
def test_verify_copies_reports_a_kept_copy_that_was_altered(copies_app, member):
    response, number = issued(member)
    record_id = record_id_of(copies_app, number)
    result = verify_copies(copies_app)
    assert result.exit_code == 0 and "Copias comprobadas: 1; distintas: 0." in result.output

    altered = edited_package(response.data, in_body(SECRET, SECRET.replace("M", "N")))
    with copies_app.app_context():
        db.session.execute(update(IssuedCopy).where(IssuedCopy.record_id == record_id).values(
            sealed=sealer(issued_copies.SEALED_AS).seal_bytes(altered)))
        db.session.commit()

    result = verify_copies(copies_app)
    assert result.exit_code == 1
    assert f"✗ {number} rev. 1 (docx): la copia guardada fue alterada" in result.output
    assert kept(copies_app, record_id).sealed is not None  # reported, not changed
    assert [entry.details for entry in audit_entries(copies_app, "copies_verified")][-1] == {
        "checked": 1, "differences": 1}


# --- a file at /verificar --------------------------------------------------------------------------
def test_an_issued_docx_uploaded_is_recognised_unchanged_with_its_revision(copies_app, member):
    first, number = issued(member)
    record_id = record_id_of(copies_app, number)
    second = issue_through_page(member, REGISTRO_URL, data=valid_registro(
        supervisor_name=SECRET, record=str(record_id), closing_notes="Corregido.",
        revision_reason="Faltaba la nota de cierre."))
    anonymous = copies_app.test_client()

    response, page = upload(anonymous, first.data)
    assert response.status_code == 200
    assert "Copia emitida, sin cambios: rev. 1" in page and number in page
    assert "Esta revisión fue reemplazada: existe la rev. 2" in page
    response, page = upload(anonymous, second.data)
    assert "Copia emitida, sin cambios: rev. 2" in page
    assert "Es la revisión vigente de este número." in page
    assert SECRET not in page
    entries = audit_entries(copies_app, "file_verified")
    assert [(entry.target, entry.details) for entry in entries] == [
        (number, {"matched": True, "format": "docx", "revision": 1}),
        (number, {"matched": True, "format": "docx", "revision": 2})]
    assert all(SECRET not in str(entry.details) for entry in entries)


def test_a_docx_with_one_character_changed_matches_no_issued_copy(copies_app, member):
    response, number = issued(member)
    altered = edited_package(response.data, in_body(SECRET, SECRET.replace("M", "N")))

    answer, page = upload(copies_app.test_client(), altered)

    assert answer.status_code == 404
    assert "El archivo no coincide con ninguna copia emitida." in page
    assert f"Lleva el número {number}, pero no coincide con ninguna copia emitida" in page
    assert "sin cambios" not in page and SECRET not in page and "Marta" not in page
    [entry] = audit_entries(copies_app, "file_verified")
    assert entry.target is None and entry.details == {"matched": False, "format": "docx",
                                                      "revision": None}


def test_a_made_up_number_is_not_named_without_its_check_code(copies_app, member):
    response, number = issued(member)
    _, _, code = footer_of(response)
    altered = edited_package(response.data, lambda name, text: text.replace(code, "AAAA-BBBB"))
    assert altered != response.data

    answer, page = upload(copies_app.test_client(), altered)

    assert answer.status_code == 404 and "no coincide con ninguna copia emitida" in page
    assert number not in page


@pytest.mark.parametrize("data", [b"", b"just some text", b"\x89PNG\r\n\x1a\n"])
def test_a_file_that_is_no_copy_is_refused_clearly(app, anonymous, data):
    response, page = upload(anonymous, data, "foto.png")
    assert response.status_code == 400
    assert "Elija una copia en Word (.docx) o PDF" in page


def test_an_upload_beyond_the_size_limit_is_refused(app, anonymous):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response, _page = upload(anonymous, b"PK\x03\x04" + b"0" * 4096)
    assert response.status_code == 413


@needs_pdf
def test_an_issued_copy_s_pdf_uploaded_is_recognised_unchanged(copies_app, member):
    response, number = issued(member)
    record_id = record_id_of(copies_app, number)
    pdf = member.get(f"/registros/{record_id}/documento.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    answer, page = upload(copies_app.test_client(), pdf.data, "copia.pdf")

    assert answer.status_code == 200
    assert "Copia emitida, sin cambios: rev. 1" in page and number in page and "PDF" in page
    assert member.get(f"/registros/{record_id}/documento.pdf").data == pdf.data


def test_file_checks_are_rate_limited_like_number_checks(app, anonymous):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    statuses = [upload(anonymous, b"%PDF-1.4 not issued", "copia.pdf")[0].status_code
                for _ in range(5)]
    assert statuses == [404] * 3 + [429] * 2
    assert len(audit_entries(app, "file_verified")) == 3


def test_the_verification_page_offers_the_file_check_with_its_csrf_token(make_app):
    protected = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = protected.get("/verificar").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="archivo"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = protected.post("/verificar", data={"archivo": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                             content_type="multipart/form-data")
    assert refused.status_code == 400
    answer = protected.post("/verificar", content_type="multipart/form-data", data={
        "archivo": (io.BytesIO(b"%PDF-1.4"), "a.pdf"), "csrf_token": token})
    assert answer.status_code == 404
    assert "El archivo no coincide con ninguna copia emitida." in unescape(
        answer.get_data(as_text=True))
