"""Documents issued before the identifiers became English still load and reproduce.

The files in ``tests/issued_before/`` were issued by the application as it was at commit 50b4812
(Spanish field names and choice values in their embedded records: ``covered_gestion``,
``"extendida"``, ``"acogimiento_familiar"``, ``"cumple"``…).
"""
import io
from html import unescape
from pathlib import Path

import pytest

from tests.factories import CONFERENCE_URL, conference
from tests.helpers import body_text, has_textarea_text, header_rows, issue_through_page, open_docx
from webforms.content.g34p import REGIONAL_PARTICIPANTS
from webforms.documents.contexts import CONTEXTS, empty_form
from webforms.documents.embedded_data import read_embedded_data
from webforms.forms.base import formdata_from_values

ISSUED_BEFORE = Path(__file__).parent / "issued_before"
FILES = sorted(ISSUED_BEFORE.glob("*.docx"))


def test_the_old_records_really_use_the_former_names():
    records = {path.stem: read_embedded_data(path.read_bytes())["data"] for path in FILES}
    assert records["registro_extendida"]["meeting_type"] == "extendida"
    assert "covered_gestion" in records["supervision"]
    assert "competencies_metodologicas" in records["tdr"]
    assert records["conferencia"]["operator_participants"][0]["modality"] == "acogimiento_familiar"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_an_old_record_restores_every_value_under_todays_names(app, path):
    record = read_embedded_data(path.read_bytes())
    view = CONTEXTS[record["document"]]
    with app.test_request_context():
        restored = view.restore(record["data"])
        form = type(empty_form(view.key))(formdata=formdata_from_values(restored),
                                          meta={"csrf": False})
        assert set(restored) == {field.name for field in form.content_fields()}
        assert form.validate(), form.errors  # every former choice value maps to a current one


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_an_old_document_reproduces_with_the_same_text(app, path):
    from webforms.control.service import reproduce

    original = open_docx(path.read_bytes())
    with app.test_request_context():
        reproduced = open_docx(reproduce(path.read_bytes()).data)
    assert body_text(reproduced) == body_text(original)
    assert header_rows(reproduced) == header_rows(original)


def test_an_old_extended_meeting_keeps_its_extended_part(app):
    from webforms.control.service import reproduce

    with app.test_request_context():
        data = reproduce((ISSUED_BEFORE / "registro_extendida.docx").read_bytes()).data
    assert "Extendida (mensual) — Orador invitado: Salud mental" in body_text(open_docx(data))


def test_an_old_conference_carries_its_action_plan_forward(client):
    data = conference(client, **{f"commitments-{i}-{name}": None for i in (0, 1)
                                 for name in ("commitment", "responsible", "status",
                                              "observation")})
    data["row_action"] = "load:previous"
    data["previous_document"] = (io.BytesIO((ISSUED_BEFORE / "conferencia.docx").read_bytes()),
                                 "conferencia-anterior.docx")
    response = issue_through_page(client, CONFERENCE_URL, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "Se cargaron 2 compromisos de la conferencia anterior." in page
    assert has_textarea_text(page, "Mesa con la EPS para priorizar citas.")


def test_a_fixed_row_left_blank_keeps_the_place_of_the_rows_after_it(app, client):
    """A role absent from the conference must not shift the next role's attendee into its row."""
    from webforms.control.service import reproduce

    data = conference(client, **{"regional_participants-1-attending": None,
                                 "regional_participants-1-name": "",
                                 "regional_participants-2-attending": "y",
                                 "regional_participants-2-name": "Dr. Salas"})
    issued = issue_through_page(client, CONFERENCE_URL, data=data)
    assert issued.status_code == 200
    with app.test_request_context():
        reproduced = open_docx(reproduce(issued.data).data)
    assert body_text(reproduced) == body_text(open_docx(issued.data))
    regional = read_embedded_data(issued.data)["data"]["regional_participants"]
    assert len(regional) == len(REGIONAL_PARTICIPANTS)
    assert regional[1] == {"attending": False, "name": ""}
