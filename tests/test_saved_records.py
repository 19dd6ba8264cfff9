"""Saved records as a supervisor uses them: a half-filled Registro kept and found again, issued
once for Word and PDF, corrected as revision 2 of the same number, deleted and restored; what was
typed is never on disk in plaintext, and a failed render takes no number."""
import io
import re
import secrets
import zipfile
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.accounts import TEAM_MEMBER
from tests.factories import faulty_app
from tests.helpers import (
    HAS_PDF,
    REGISTRO_URL,
    database_dump,
    edited_copy,
    footer_text,
    in_body,
    issue_through_page,
    issued_numbers,
    labelled_value,
    open_docx,
    page_token,
    pdf_text,
    pending_annulment_id,
    register_number,
    request_annulment,
    review_form,
    sign_in,
    the_record,
    valid_registro,
)
from webforms.storage.database import db
from webforms.storage.models import Record


def save_draft(client, **typed):
    response = issue_through_page(client, REGISTRO_URL, data={**typed, "save": "draft"})
    assert response.status_code == 303, response.get_data(as_text=True)[:1000]
    return response.headers["Location"]


def test_a_half_filled_registro_comes_back_after_a_reload_and_a_change_of_language(client):
    location = save_draft(client, supervisor_name="Marta Gómez",
                          management_notes="Nuevo formato de informe mensual.",
                          **{"workers-0-name": "Luis Ortega"})
    assert re.search(r"\?registro=\d+$", location)
    page = unescape(client.get(location).get_data(as_text=True))
    assert 'value="Marta Gómez"' in page and 'value="Luis Ortega"' in page
    assert "Nuevo formato de informe mensual." in page
    assert "Borrador sin número" in page
    client.get(f"/idioma/en?next={location.split('localhost')[-1]}")
    page = unescape(client.get(location).get_data(as_text=True))
    assert '<html lang="en">' in page and 'value="Marta Gómez"' in page
    assert "Nuevo formato de informe mensual." in page


def test_a_draft_has_no_number_and_invalid_data_is_kept_as_typed(app, client):
    save_draft(client, supervisor_name="Marta Gómez", meeting_date="no es una fecha",
               open_cases="muchos")
    record = the_record(app)
    assert record.status == "draft" and record.number is None and record.revision == 0
    page = unescape(client.get(f"{REGISTRO_URL}?registro={record.id}").get_data(as_text=True))
    assert 'value="no es una fecha"' in page and 'value="muchos"' in page
    assert issued_numbers(app) == 0


@pytest.mark.pdf
def test_issuing_a_draft_numbers_that_record_and_word_and_pdf_are_one_copy(app, client):
    save_draft(client, **valid_registro())
    draft = the_record(app)
    issued = issue_through_page(client, REGISTRO_URL, data=valid_registro(record=str(draft.id)))
    assert issued.status_code == 200 and issued.data.startswith(b"PK")
    number = open_docx(issued.data).core_properties.identifier
    record = the_record(app, number)
    assert record.id == draft.id and record.status == "issued" and record.revision == 1
    word = client.get(f"/registros/{record.id}/documento.docx")
    assert word.data == issued.data  # the copy issued, rendered again and checked
    assert issued_numbers(app) == 1
    if HAS_PDF:
        pdf = client.get(f"/registros/{record.id}/documento.pdf")
        assert pdf.status_code == 200 and number in pdf_text(pdf.data)
        assert issued_numbers(app) == 1  # the PDF took no number of its own


def test_the_same_page_sent_twice_takes_one_number(app, client):
    """The form page sent again after its copy was issued (the back button, a reload) without
    a record on the page: the record's page, not a second number."""
    token = page_token(client)
    first = issue_through_page(client, REGISTRO_URL, data=valid_registro(issue_token=token))
    again = client.post(REGISTRO_URL, data=valid_registro(issue_token=token))
    number = open_docx(first.data).core_properties.identifier
    record = the_record(app, number)
    assert again.status_code == 303 and again.headers["Location"].endswith(
        f"/registros/{record.id}")
    assert issued_numbers(app) == 1 and record.revision == 1
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Record)) == 1

    unexplained = client.post(REGISTRO_URL, data=valid_registro(
        issue_token=token, supervisor_name="Marta Gómez Ríos"))
    assert unexplained.status_code == 400 and "Escriba el motivo" in unescape(
        unexplained.get_data(as_text=True))
    corrected = issue_through_page(client, REGISTRO_URL, data=valid_registro(
        issue_token=token, supervisor_name="Marta Gómez Ríos",
        revision_reason="Nombre completo de la supervisora."))
    assert f"{number} rev. 2" in footer_text(corrected.data)  # the same page corrects its record
    other_page = issue_through_page(client, REGISTRO_URL,
                                    data=valid_registro(issue_token=page_token(client)))
    assert open_docx(other_page.data).core_properties.identifier != number
    assert issued_numbers(app) == 2


def test_a_corrected_record_is_issued_as_revision_2_of_the_same_number(app, client):
    first = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    number = open_docx(first.data).core_properties.identifier
    record = the_record(app, number)
    page = unescape(client.get(f"{REGISTRO_URL}?registro={record.id}").get_data(as_text=True))
    assert "Está corrigiendo el documento N.º " + number in page
    second = issue_through_page(client, REGISTRO_URL, data=valid_registro(
        record=str(record.id), supervisor_name="Marta Gómez Ríos",
        revision_reason="Nombre completo de la supervisora."))
    assert second.status_code == 200
    assert f"{number} rev. 2" in footer_text(second.data)
    assert f"{number} rev." not in footer_text(first.data)
    assert labelled_value(open_docx(second.data), "Nombre del Supervisor") == "Marta Gómez Ríos"
    assert the_record(app, number).revision == 2 and issued_numbers(app) == 1
    earlier = client.get(f"/registros/{record.id}/documento.docx?revision=1")
    assert earlier.data == first.data  # revision 1 stays as it was issued
    assert client.get(f"/registros/{record.id}/documento.docx").data == second.data


def test_the_copy_is_the_same_file_when_rendered_again_in_a_new_process(app, client):
    """Nothing of the process (caches, clock) enters the file: the register's hash holds."""
    from webforms.documents import engine

    issued = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    record = the_record(app, open_docx(issued.data).core_properties.identifier)
    engine._skeletons.clear()
    assert client.get(f"/registros/{record.id}/documento.docx").data == issued.data


def test_a_copy_that_would_differ_from_the_one_issued_is_refused(app, client):
    issued = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    record = the_record(app, open_docx(issued.data).core_properties.identifier)
    with app.app_context():
        db.session.execute(db.update(Record).where(Record.id == record.id).values(revision=1))
        from webforms.storage.models import RecordRevision

        db.session.execute(db.update(RecordRevision).where(
            RecordRevision.record_id == record.id).values(file_sha256="0" * 64))
        db.session.commit()
    response = client.get(f"/registros/{record.id}/documento.docx")
    assert response.status_code == 409
    assert "no es idéntica a la que se emitió" in unescape(response.get_data(as_text=True))


def test_a_draft_is_deleted_to_the_trash_and_restored_an_issued_record_is_not(app, client):
    issued = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    record = the_record(app, open_docx(issued.data).core_properties.identifier)
    client.post(f"/registros/{record.id}/eliminar")
    assert the_record(app).status == "issued"  # annulled with a reason instead (test_annulments)
    client.post(REGISTRO_URL, data=valid_registro(save="draft"))
    draft = the_record(app)
    client.post(f"/registros/{draft.id}/eliminar")
    assert the_record(app).status == "trash"
    assert client.get(f"{REGISTRO_URL}?registro={draft.id}").status_code == 404
    client.post(f"/registros/{draft.id}/restaurar")
    assert the_record(app).status == "draft"
    assert client.get(f"/registros/{record.id}/documento.docx").data == issued.data


def test_every_action_on_a_record_is_audited_without_its_content(app, client):
    from webforms.storage.models import AuditEntry

    issue_through_page(client, REGISTRO_URL,
                       data=valid_registro(complex_cases="Marcador de auditoría Zqwauditoria"))
    record = the_record(app)
    client.get(f"/registros/{record.id}")
    client.get(f"/registros/{record.id}/documento.docx")
    request_annulment(client, record.id, "Motivo Zqwauditoria de anular")
    client.post(f"/registros/anulaciones/{pending_annulment_id(app, record.id)}/retirar")
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        actions = [entry.action for entry in entries
                   if entry.action not in ("sign_in", "audit_keyed")]
        dump = repr([(entry.target, entry.details) for entry in entries])
    assert actions == ["record_edited", "document_issued", "record_downloaded", "record_viewed",
                       "record_downloaded", "annulment_requested", "annulment_withdrawn"]
    assert "Zqwauditoria" not in dump and "Marta" not in dump  # no hex or hash spells it


def test_nothing_typed_is_kept_in_plaintext_anywhere(app, client, tmp_path):
    marker = "MARCADOR" + secrets.token_hex(6)
    issue_through_page(client, REGISTRO_URL, data=valid_registro(complex_cases=f"Caso {marker} estancado"))
    save_draft(client, supervisor_name=f"Supervisora {marker}")
    issue_through_page(client, REGISTRO_URL, data={"supervisor_name": f"Sesión {marker}", "save": "draft"})
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # the SQLite write-ahead log checkpointed into the file
    for path in Path(tmp_path).rglob("*"):
        if path.is_file():
            assert not holds(path.read_bytes(), marker), path
    with app.app_context():
        assert marker not in database_dump()


def holds(data: bytes, marker: str) -> bool:
    """Whether ``data``, or any member of it as a ZIP (a .docx), holds ``marker``."""
    if marker.encode() in data or marker.encode("utf-16-le") in data:
        return True
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return any(holds(package.read(name), marker) for name in package.namelist())
    return False


@pytest.fixture
def breakable(tmp_path):
    app = faulty_app(tmp_path)
    return app, sign_in(app.test_client(), TEAM_MEMBER), tmp_path


def test_a_render_that_fails_takes_no_number_and_keeps_the_form(breakable):
    app, client, tmp_path = breakable
    from webforms.common.catalogue import catalogue

    with app.app_context():
        template = catalogue().get("registro_reunion").template
    broken = edited_copy(template, tmp_path / "broken.docx",
                         in_body("{{ supervisor_name }}", "{{ not_in_the_context.at_all }}"))
    template.write_bytes(broken.read_bytes())
    response = issue_through_page(client, REGISTRO_URL,
                                  data=valid_registro(supervisor_name="Ana Restrepo"))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 503 and 'value="Ana Restrepo"' in page
    assert "no se usó ningún número" in page
    assert issued_numbers(app) == 0
    record = the_record(app)  # what was reviewed stays as a draft, without a number
    assert record.status == "draft" and record.number is None


def test_a_team_is_put_in_a_region_from_the_command_line(app):
    from webforms.storage.models import Team

    runner = app.test_cli_runner()
    typo = runner.invoke(args=["users", "team", "Equipo Norte", "--region", "Regional Norte"])
    assert typo.exit_code == 1 and "No existe la región «Regional Norte»" in typo.output
    assert runner.invoke(args=["users", "region", "Regional Norte"]).exit_code == 0
    result = runner.invoke(args=["users", "team", "Equipo Norte", "--region", "Regional Norte"])
    assert result.exit_code == 0 and "región: Regional Norte" in result.output
    assert runner.invoke(args=["users", "team", "Regional Norte", "--region",
                               "Equipo Norte"]).exit_code == 1
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == "Equipo Norte"))
        assert team.region.name == "Regional Norte"
    result = runner.invoke(args=["users", "team", "Equipo Norte", "--no-region"])
    with app.app_context():
        assert db.session.scalar(select(Team).where(Team.name == "Equipo Norte")).region is None


def test_a_copy_is_rendered_before_its_number_is_taken(app, client, monkeypatch):
    """Other writers never wait for a render: while a copy's text is rendered, nothing is held,
    so another request takes a number at once (it would wait for the whole render otherwise)."""
    import datetime as dt
    import threading

    from webforms.documents.contexts import CONTEXTS

    view, taken = CONTEXTS["registro_reunion"], []
    rendering = view.context

    def take_another_number():
        with app.app_context():
            taken.append(register_number(
                "F9.PRUEBA", "prueba", 1, "0" * 64, dt.datetime.now(dt.timezone.utc)))

    def context_while_someone_else_writes(form, locale):
        other = threading.Thread(target=take_another_number)
        other.start()
        other.join(timeout=5)
        return rendering(form, locale)

    review = review_form(client.post(REGISTRO_URL, data=valid_registro()).get_data(as_text=True))
    monkeypatch.setattr(view, "context", context_while_someone_else_writes)
    response = client.post(review[0], data=review[1])
    assert response.status_code == 303 and "/registros/" in response.headers["Location"]
    assert len(taken) == 1 and re.fullmatch(r"F9\.PRUEBA-\d{4}-000001", taken[0].number)
