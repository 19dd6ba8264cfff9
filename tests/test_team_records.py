"""The team's records as their members use them: the list and its filters, a record's page, its
copies, the trash, duplicates, and who may see what (a record of another team is as absent as one
that does not exist; a regional coordinator reads, never changes)."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
from urllib.parse import parse_qs, urlparse

import pytest

from tests.accounts import PASSWORD
from tests.factories import issue, new_account, place_in_region, save_draft
from tests.helpers import (
    LIST_URL,
    REGISTRO_URL,
    first_footer_text,
    issue_through_page,
    listed,
    needs_pdf,
    open_docx,
    page_text,
    sign_in,
    valid_registro,
)
from webforms.accounts.service import create_user
from webforms.common.dates import local_today
from webforms.storage.database import db
from webforms.storage.models import Record

SUPERVISION_URL = "/formularios/supervision_individual"


# --- helpers ------------------------------------------------------------------------------------


# --- the list -----------------------------------------------------------------------------------
def test_a_draft_and_an_issued_record_are_listed_with_their_status_and_number(app, client):
    issued_id, number = issue(app, client)
    draft_id = save_draft(client, supervisor_name="Otra supervisora")
    rows = listed(client)
    assert set(rows) == {issued_id, draft_id}
    assert number in rows[issued_id] and "rev. 1" in rows[issued_id]
    assert "Emitido" in rows[issued_id] and "Borrador" not in rows[issued_id]
    assert "Sin número" in rows[draft_id] and "Borrador" in rows[draft_id]
    assert "Registro de la Reunión de Gestión de Casos" in rows[draft_id]
    assert "Equipo Norte" in rows[draft_id] and "equipo@example.org" in rows[draft_id]
    assert list(rows) == [draft_id, issued_id]  # the last changed first
    page = client.get(LIST_URL).get_data(as_text=True)
    assert f'href="/registros/{issued_id}/documento.docx"' in page
    assert f'href="/registros/{draft_id}/documento.docx"' not in page  # a draft has no copy


def test_the_list_is_for_signed_in_users_and_linked_from_every_page(client, anonymous):
    assert anonymous.get(LIST_URL).status_code == 302
    assert "Registros del equipo" not in anonymous.get("/").get_data(as_text=True)
    assert 'href="/registros/"' in client.get("/").get_data(as_text=True)


def test_an_empty_list_says_so_and_offers_every_form(client):
    text = page_text(client.get(LIST_URL))
    assert "Su equipo aún no tiene registros guardados" in text
    page = client.get(LIST_URL).get_data(as_text=True)
    assert 'href="/formularios/registro_reunion"' in page
    assert 'href="/formularios/supervision_individual"' in page
    assert "Ningún registro coincide con los filtros" in page_text(
        client.get(LIST_URL, query_string={"numero": "no-existe"}))


def test_filter_by_form(client):
    registro = save_draft(client)
    supervision = save_draft(client, SUPERVISION_URL)
    assert set(listed(client, formulario="supervision_individual")) == {supervision}
    assert set(listed(client, formulario="registro_reunion")) == {registro}


def test_filter_by_status_and_the_trash_only_when_asked(app, client):
    issued_id, _number = issue(app, client)
    draft_id = save_draft(client)
    trashed_id = save_draft(client)
    assert client.post(f"/registros/{trashed_id}/eliminar").status_code == 303
    assert set(listed(client)) == {issued_id, draft_id}
    assert set(listed(client, estado="draft")) == {draft_id}
    assert set(listed(client, estado="issued")) == {issued_id}
    trash = listed(client, estado="trash")
    assert set(trash) == {trashed_id} and "En la papelera" in trash[trashed_id]


def test_filter_by_date_range_uses_the_records_date_or_else_its_last_change(client):
    january = save_draft(client, meeting_date="2026-01-10")
    march = save_draft(client, meeting_date="2026-03-15")
    june = save_draft(client, meeting_date="2026-06-20")
    undated = save_draft(client, meeting_date=None)
    assert set(listed(client, desde="2026-03-01", hasta="2026-03-31")) == {march}
    assert set(listed(client, desde="2026-03-15")) >= {march, june}
    assert january not in listed(client, desde="2026-03-15")
    assert set(listed(client, hasta="2026-03-15")) == {january, march}
    with client.application.test_request_context():  # the installation's day, not the machine's
        today = local_today().isoformat()
    assert undated in listed(client, desde=today, hasta=today)
    assert undated not in listed(client, desde="2026-01-01", hasta="2026-01-31")


def test_filter_by_author(app, client):
    mine = save_draft(client)
    colleague = new_account(app, "colega@example.org", ("supervisor",), "Equipo Norte")
    theirs = save_draft(colleague)
    with app.app_context():
        colleague_id = db.session.scalar(db.select(Record.updated_by).where(Record.id == theirs))
    assert set(listed(client)) == {mine, theirs}
    assert set(listed(client, autor=colleague_id)) == {theirs}
    page = client.get(LIST_URL).get_data(as_text=True)
    assert f'<option value="{colleague_id}">colega@example.org</option>' in page


def test_search_by_number_is_a_case_insensitive_part_of_it(app, client):
    first_id, first = issue(app, client)
    second_id, second = issue(app, client)
    draft_id = save_draft(client)
    assert set(listed(client, numero=second)) == {second_id}
    assert set(listed(client, numero=second[-6:])) == {second_id}
    assert set(listed(client, numero=first.lower())) == {first_id}
    assert set(listed(client, numero=first.split("-")[0])) == {first_id, second_id}
    assert draft_id not in listed(client, numero="%")  # a wildcard is just a character


def test_pagination_shows_25_then_the_rest_keeping_the_filters(client):
    ids = [save_draft(client) for _ in range(30)]
    first_page = listed(client, estado="draft")
    assert list(first_page) == ids[::-1][:25]
    page = client.get(LIST_URL, query_string={"estado": "draft"}).get_data(as_text=True)
    assert "Registros 1 a 25 de 30" in page and "Página 1 de 2" in page
    next_link = re.search(r'href="([^"]+)" rel="next"', page).group(1)
    assert "estado=draft" in next_link and "pagina=2" in next_link
    assert list(listed(client, estado="draft", pagina=2)) == ids[::-1][25:]
    assert list(listed(client, estado="draft", pagina=99)) == ids[::-1][25:]  # the last page


@pytest.mark.parametrize("query", [
    {"pagina": "-3"}, {"pagina": "abc"}, {"pagina": "9" * 40}, {"desde": "2026-99-99"},
    {"hasta": "0001-01-01"}, {"desde": "9999-12-31"}, {"autor": "uno"}, {"estado": "deleted"},
    {"formulario": "../etc"}, {"numero": "x" * 500}, {"formulario": "registro_reunion" * 20},
])
def test_bad_filter_values_are_ignored(client, query):
    draft_id = save_draft(client)
    assert set(listed(client, **query)) == {draft_id}


# --- who sees what ------------------------------------------------------------------------------
def test_another_team_neither_lists_nor_opens_nor_downloads_the_records(app, client):
    issued_id, number = issue(app, client)
    draft_id = save_draft(client)
    south = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    own = save_draft(south)
    assert set(listed(south)) == {own}
    assert listed(south, numero=number) == {}
    for record_id in (issued_id, draft_id):
        assert south.get(f"/registros/{record_id}").status_code == 404
    assert south.get(f"/registros/{issued_id}/documento.docx").status_code == 404
    assert south.get(f"/registros/{issued_id}/documento.pdf").status_code == 404
    assert south.post(f"/registros/{issued_id}/eliminar").status_code == 404
    assert south.post(f"/registros/{issued_id}/duplicar").status_code == 404
    assert "equipo@example.org" not in south.get(LIST_URL).get_data(as_text=True)
    assert client.get(f"/registros/{own}").status_code == 404  # and the other way round


def test_a_coordinator_of_the_region_reads_the_records_but_cannot_change_them(app, client):
    issued_id, number = issue(app, client)
    draft_id = save_draft(client)
    coordinator = new_account(app, "region@example.org", ("coordinador",), "Oficina Regional")
    assert set(listed(coordinator)) == set()  # not yet the region of Equipo Norte
    place_in_region(app, "Equipo Norte", "Oficina Regional")
    assert set(listed(coordinator)) == {issued_id, draft_id}
    page = coordinator.get(f"/registros/{issued_id}")
    assert page.status_code == 200 and number in page_text(page)
    assert "Eliminar" not in page_text(page) and "Reabrir y corregir" not in page_text(page)
    assert coordinator.get(f"/registros/{issued_id}/documento.docx").status_code == 200
    assert coordinator.post(f"/registros/{issued_id}/eliminar").status_code == 404
    assert coordinator.get(f"/formularios/registro_reunion?registro={draft_id}").status_code in (
        403, 404)
    assert "Emitido" in listed(client)[issued_id]  # nothing was deleted


def test_a_member_of_the_region_without_the_coordinator_role_sees_nothing(app, client):
    save_draft(client)
    place_in_region(app, "Equipo Norte", "Oficina Regional")
    member = new_account(app, "regional@example.org", ("supervisor",), "Oficina Regional")
    assert listed(member) == {}


def test_an_account_without_a_team_sees_an_empty_list(app, client):
    save_draft(client)
    with app.app_context():
        create_user("sin-equipo@example.org", PASSWORD, roles=("calidad",))
    loner = sign_in(app.test_client(), "sin-equipo@example.org")
    assert listed(loner) == {}
    assert "Su equipo aún no tiene registros guardados" in page_text(loner.get(LIST_URL))


# --- one record ---------------------------------------------------------------------------------
def test_the_record_page_shows_its_revisions_and_unissued_changes(app, client):
    record_id, number = issue(app, client)
    page = page_text(client.get(f"/registros/{record_id}"))
    assert f"{number} rev. 1" in page and "Emitido" in page and "vigente" in page
    assert "reemplazada" not in page and "cambios sin emitir" not in page
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(
        record=str(record_id), closing_notes="Una corrección emitida.",
        revision_reason="Se añadió el cierre."))
    assert first_footer_text(response.data).count(number) == 1
    save_draft(client, record=str(record_id), closing_notes="Una corrección pendiente.")
    response = client.get(f"/registros/{record_id}")
    text = page_text(response)
    assert f"{number} rev. 2" in text and "cambios sin emitir" in text
    assert re.search(r"rev\. 2 .*? vigente .*? rev\. 1 .*? reemplazada", text)
    for revision in (1, 2):
        assert (f'/registros/{record_id}/documento.docx?revision={revision}"'
                in response.get_data(as_text=True))
    assert "Registro de la Reunión de Gestión de Casos" in text and "F1.G34.P" in text


def test_a_draft_page_has_no_number_and_offers_to_reopen_it(client):
    draft_id = save_draft(client)
    response = client.get(f"/registros/{draft_id}")
    text = page_text(response)
    assert "Borrador" in text and "Sin número" in text and "Aún no se ha emitido" in text
    assert (f'href="/formularios/registro_reunion?registro={draft_id}"'
            in response.get_data(as_text=True))
    assert client.get(f"/registros/{draft_id}/documento.docx").status_code == 404


def test_delete_moves_a_draft_to_the_trash_and_restore_brings_it_back(app, client):
    record_id = save_draft(client)
    response = client.post(f"/registros/{record_id}/eliminar")
    assert response.status_code == 303
    text = page_text(client.get(response.headers["Location"]))
    assert "En la papelera (se elimina definitivamente el" in text
    assert "Restaurar" in text and "Reabrir y corregir" not in text
    assert record_id not in listed(client)
    assert client.post(f"/registros/{record_id}/restaurar").status_code == 303
    assert "Borrador" in listed(client)[record_id]
    text = page_text(client.get(f"/registros/{record_id}"))
    assert "En la papelera" not in text and "Eliminar" in text


def test_the_trash_page_names_the_day_it_is_emptied(app, client):
    record_id = save_draft(client)
    client.post(f"/registros/{record_id}/eliminar")
    with app.app_context():
        db.session.get(Record, record_id).trashed_at = dt.datetime(
            2026, 3, 1, 12, tzinfo=dt.timezone.utc)
        db.session.commit()
    days = app.config["TRASH_DAYS"]
    expected = dt.date(2026, 3, 1) + dt.timedelta(days=days)
    text = page_text(client.get(f"/registros/{record_id}"))
    day = re.search(r"se elimina definitivamente el ([^)]+)\)", text).group(1)
    assert str(expected.day) in day and str(expected.year) in day


def test_the_downloaded_word_copy_carries_the_issued_number(app, client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    issued_footer = first_footer_text(response.data)
    number = open_docx(response.data).core_properties.identifier
    with app.app_context():
        record_id = db.session.scalar(db.select(Record.id).where(Record.number == number))
    copy = client.get(f"/registros/{record_id}/documento.docx")
    assert copy.status_code == 200 and copy.mimetype.endswith("wordprocessingml.document")
    assert open_docx(copy.data).core_properties.identifier == number
    assert f"N.º {number} " in first_footer_text(copy.data) and first_footer_text(copy.data) == issued_footer
    assert copy.data == response.data  # the same copy, rendered again


@needs_pdf
def test_the_downloaded_pdf_carries_the_same_number(app, client):
    record_id, number = issue(app, client)
    copy = client.get(f"/registros/{record_id}/documento.pdf")
    assert copy.status_code == 200 and copy.mimetype == "application/pdf"
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=copy.data, check=True,
                          capture_output=True).stdout.decode()
    assert number in " ".join(text.split())


def test_duplicate_makes_a_new_draft_without_number_with_the_same_values(app, client):
    record_id, number = issue(app, client, supervisor_name="Marta Duplicada")
    response = client.post(f"/registros/{record_id}/duplicar")
    assert response.status_code == 303
    copy_id = int(parse_qs(urlparse(response.headers["Location"]).query)["registro"][0])
    assert copy_id != record_id
    assert "Marta Duplicada" in client.get(response.headers["Location"]).get_data(as_text=True)
    rows = listed(client)
    assert "Sin número" in rows[copy_id] and "Borrador" in rows[copy_id]
    assert number in rows[record_id] and number not in rows[copy_id]
