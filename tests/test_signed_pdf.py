"""Signed copies (docs/signed-pdf.md): every issued PDF carries the organisation's PAdES signature,
which pyHanko's own validator accepts against the configured certificate (and a timestamp from a
real RFC 3161 authority when one is configured); one byte changed breaks it, a PDF signed by
another key is "not issued here", on /verificar and with ``flask records verify-file``; the
record keeps and sends the very bytes it signed, which a later revision or an annulment never
touch."""
from __future__ import annotations

import datetime as dt
import io
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from tests.accounts import TEAM_MEMBER
from tests.helpers import (
    REGISTRO_URL,
    annul,
    audit_entries,
    footer_of,
    issue_through_page,
    needs_pdf,
    record_id_of,
    sign_in,
    stand_in_pdf,
    upload,
    valid_registro,
)
from tests.processes import timestamp_authority
from webforms.common import signing
from webforms.documents import signatures
from webforms.records import issued_copies
from webforms.storage.database import db
from webforms.storage.models import IssuedCopy

NOW = dt.datetime(2026, 12, 2, tzinfo=dt.timezone.utc)


def issued_pdf(app, client, **changes) -> tuple[str, int, bytes]:
    """A Registro issued and its PDF downloaded: the number, the record's id, the PDF."""
    number, _suffix, _code = footer_of(issue_through_page(client, REGISTRO_URL,
                                                          data=valid_registro(**changes)))
    record_id = record_id_of(app, number)
    pdf = client.get(f"/registros/{record_id}/documento.pdf")
    assert pdf.status_code == 200, pdf.status_code
    return number, record_id, pdf.data


def default_certificate(app) -> Path:
    return Path(app.config["INSTANCE_DIR"]) / "signing" / "certificate.pem"


def validated(pdf: bytes, certificate: Path, timestamp_root: Path | None = None):
    """pyHanko's own verdict on the PDF's signature, trusting ``certificate`` alone."""
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    roots = list(load_certs_from_pemder([certificate]))
    stamps = list(load_certs_from_pemder([timestamp_root])) if timestamp_root else roots
    return signature, signatures.finished(  # (a browser test's event loop may run here)
        async_validate_pdf_signature, signature, ValidationContext(trust_roots=roots, allow_fetching=False),
        ValidationContext(trust_roots=stamps, allow_fetching=False))


def one_byte_changed(pdf: bytes) -> bytes:
    """The PDF with one byte of an embedded font changed (the file still parses: a stream's
    data, never inside an object stream, unlike the dictionaries)."""
    changed = bytearray(pdf)
    changed[pdf.index(b"stream", pdf.index(b"/Length1")) + 40] ^= 0x01
    return bytes(changed)


def foreign_pdf(app, organisation: str | None = None) -> bytes:
    """A PDF soundly signed by another key, of a certificate bearing ``organisation``'s name."""
    with app.app_context():
        organisation = organisation or signing.signing_key().certificate.subject.native[
            "common_name"]
    key = signatures.private_key_pem()
    other = signatures.from_pem(signatures.self_signed_certificate(key, organisation, NOW), key)
    return signatures.sign(stand_in_pdf("elsewhere"), other, "Copia emitida F1-2026-000001 rev. 1")


def verify_file(app, path: Path):
    return app.test_cli_runner().invoke(args=["records", "verify-file", str(path)])


# --- signing -------------------------------------------------------------------------------------
@needs_pdf
def test_an_issued_pdf_is_signed_invisibly_and_validates_against_the_organisation_s_certificate(
        app, client):
    number, record_id, pdf = issued_pdf(app, client)

    signature, status = validated(pdf, default_certificate(app))
    assert status.bottom_line and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert str(signature.sig_object["/Reason"]) == f"Copia emitida {number} rev. 1"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    widget = signature.sig_field.get("/Rect") or signature.sig_field["/Kids"][0]["/Rect"]
    assert [float(value) for value in widget] == [0, 0, 0, 0]  # no appearance on the page
    key_file = Path(app.config["INSTANCE_DIR"]) / "signing" / "key.pem"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # What the record keeps, and what every download sends, is these signed bytes.
    with app.app_context():
        kept = db.session.get(IssuedCopy, (record_id, 1, "pdf"))
        assert issued_copies.opened(kept) == pdf
    assert client.get(f"/registros/{record_id}/documento.pdf").data == pdf


@needs_pdf
def test_with_a_timestamp_authority_the_signature_carries_its_trusted_timestamp(
        make_app, tmp_path):
    tsa, url, root = timestamp_authority(tmp_path)
    try:
        app = make_app(SIGNING_TIMESTAMP_URL=url, SIGNING_TIMESTAMP_TRUST=str(root))
        number, _record_id, pdf = issued_pdf(app, sign_in(app.test_client(), TEAM_MEMBER))
    finally:
        tsa.kill()

    _signature, status = validated(pdf, default_certificate(app), root)
    assert status.bottom_line
    stamp = status.timestamp_validity
    assert stamp is not None and stamp.intact and stamp.valid and stamp.trusted
    assert "timestamp request" in tsa.output()  # through the product's HTTP client
    answer, page = upload(app.test_client(), pdf, "copia.pdf")
    assert answer.status_code == 200 and number in page
    assert "autoridad de sellado de tiempo de confianza" in page


def test_a_configured_pkcs12_key_signs_and_its_anchor_is_the_trust(make_app, tmp_path):
    key_pem = signatures.private_key_pem()
    certificate_pem = signatures.self_signed_certificate(key_pem, "Organización Configurada", NOW)
    key = serialization.load_pem_private_key(key_pem, None)
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    bundle = tmp_path / "org.p12"
    bundle.write_bytes(pkcs12.serialize_key_and_certificates(
        b"org", key, certificate, None, serialization.BestAvailableEncryption(b"clave")))
    (tmp_path / "org.pem").write_bytes(certificate_pem)
    app = make_app(SIGNING_PKCS12=str(bundle), SIGNING_PASSPHRASE="clave")

    with app.app_context():
        signed = signing.sign_issued(stand_in_pdf("configured"), "F1-2026-000009", 2)
        assert not signing.signing_key().self_signed
    _signature, status = validated(signed, tmp_path / "org.pem")
    assert status.bottom_line
    assert not (Path(app.config["INSTANCE_DIR"]) / "signing").exists()  # no default made


# --- verify anywhere -----------------------------------------------------------------------------
@needs_pdf
def test_verificar_reports_the_signature_of_an_issued_pdf_and_refuses_a_changed_or_foreign_one(
        app, client):
    number, _record_id, pdf = issued_pdf(app, client)
    visitor = app.test_client()

    answer, page = upload(visitor, pdf, "copia.pdf")
    assert answer.status_code == 200
    assert "Copia emitida, sin cambios: rev. 1" in page and number in page
    assert "Firma válida de la organización" in page and f"Copia emitida {number} rev. 1" in page
    assert "llega al certificado de confianza configurado" in page
    assert "certificado autofirmado" in page  # the local default says so

    answer, page = upload(visitor, one_byte_changed(pdf), "copia.pdf")
    assert answer.status_code == 404 and "Firma no válida" in page
    assert "Copia emitida, sin cambios" not in page

    answer, page = upload(visitor, foreign_pdf(app), "copia.pdf")  # even under the same name
    assert answer.status_code == 404 and "No emitido aquí" in page
    assert [entry.details["signature"] for entry in audit_entries(app, "file_verified")] == [
        "valid", "invalid", "foreign"]


@needs_pdf
def test_a_word_copy_is_still_verified_by_its_fingerprint(app, client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    number, _suffix, _code = footer_of(response)
    answer, page = upload(app.test_client(), response.data, "copia.docx")
    assert answer.status_code == 200 and number in page and "Word (.docx)" in page
    assert "Firma digital" not in page


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%broken", b"%PDF-" + bytes(range(256)) * 8])
def test_a_broken_pdf_gets_a_clear_answer_never_an_error(app, anonymous, data):
    answer, page = upload(anonymous, data, "copia.pdf")
    assert answer.status_code == 404
    assert "El archivo no coincide con ninguna copia emitida." in page


@needs_pdf
def test_verify_file_command_says_the_same_offline(app, client, tmp_path):
    number, _record_id, pdf = issued_pdf(app, client)
    files = {"issued.pdf": pdf, "changed.pdf": one_byte_changed(pdf),
             "foreign.pdf": foreign_pdf(app, "Otra organización")}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    result = verify_file(app, tmp_path / "issued.pdf")
    assert result.exit_code == 0, result.output
    assert f"Copia emitida, sin cambios: {number}" in result.output
    assert "Firma: válida, de la organización" in result.output
    changed = verify_file(app, tmp_path / "changed.pdf")
    assert changed.exit_code == 1 and "no válida" in changed.output
    foreign = verify_file(app, tmp_path / "foreign.pdf")
    assert foreign.exit_code == 1 and "No emitido aquí" in foreign.output


# --- revisions and annulments leave a signed copy as it was --------------------------------------
@needs_pdf
def test_a_revision_and_an_annulment_never_touch_an_earlier_signed_copy(app, client):
    number, record_id, first = issued_pdf(app, client)
    issue_through_page(client, REGISTRO_URL, data=valid_registro(
        record=str(record_id), closing_notes="Corregido.", revision_reason="Se añadió el cierre."))
    second = client.get(f"/registros/{record_id}/documento.pdf").data
    signature, _status = validated(second, default_certificate(app))
    assert str(signature.sig_object["/Reason"]) == f"Copia emitida {number} rev. 2"

    assert client.get(f"/registros/{record_id}/documento.pdf?revision=1").data == first
    answer, page = upload(app.test_client(), first, "copia.pdf")
    assert answer.status_code == 200 and "Esta revisión fue reemplazada" in page

    annul(app, client, record_id)
    answer, page = upload(app.test_client(), first, "copia.pdf")
    assert "está anulado" in page and "Firma válida de la organización" in page
    _signature, status = validated(first, default_certificate(app))
    assert status.bottom_line
