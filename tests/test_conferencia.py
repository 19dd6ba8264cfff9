"""Conferencia ampliada and mesa interna: participants, barriers, plan, commitments, carry-over."""
import io
import re
from html import unescape

from tests.factories import CONFERENCE_URL, conference, new_account, post_conference, set_record
from tests.helpers import (
    body_text,
    has_textarea_text,
    input_value,
    issue_through_page,
    labelled_value,
    open_docx,
    page_defaults,
    record_id_of,
    table_rows,
    textarea_value,
)
from webforms.content.g34p import (
    OPERATOR_CONTRIBUTION,
    OPERATOR_PARTICIPANTS,
    REGIONAL_CONTRIBUTION,
    REGIONAL_PARTICIPANTS,
)

MESA_URL = "/formularios/mesa_interna"


def tables_by_header(document, first_header):
    return [table for table in document.tables if table.rows[0].cells[0].text == first_header]


def test_conference_document(client):
    document = open_docx(post_conference(client).data)
    assert labelled_value(document, "Regional") == "Regional Norte de Santander"
    assert labelled_value(document, "Fecha") == "20 de noviembre de 2026"
    assert labelled_value(document, "Modalidad de la reunión") == "Presencial — Sala de juntas"
    assert labelled_value(document, "Convoca") == "El enlace técnico de la modalidad. (Patricia León)"

    participants = table_rows(tables_by_header(document, "Instancia")[0])
    regional, operator = participants[1], participants[2]
    assert regional[0] == "Regional" and regional[2] == str(REGIONAL_CONTRIBUTION)
    lines = regional[1].split("\n")
    assert len(lines) == len(REGIONAL_PARTICIPANTS) + 2  # each attending with a name line
    assert lines[:2] == [f"☒ {REGIONAL_PARTICIPANTS[0]}", "Nombre: Defensora Ruiz"]
    assert lines[2] == f"☐ {REGIONAL_PARTICIPANTS[1]}"
    assert lines[9:11] == [f"☒ {REGIONAL_PARTICIPANTS[8]}", "Nombre: Dr. Salas"]
    assert operator[0] == "Operador" and operator[2] == str(OPERATOR_CONTRIBUTION)
    assert operator[1].split("\n") == [str(text) for text in OPERATOR_PARTICIPANTS]
    operators = table_rows(tables_by_header(document, "Nombre")[0])
    assert operators[1:] == [
        ["Jorge Pinto", "Gestor(a) de caso", "Acogimiento Familiar"],
        ["Lina Mora", "Coordinador(a) de la modalidad", "Acogimiento Residencial"]]
    signatures = table_rows(tables_by_header(document, "Nombre")[1])
    assert [row[:2] for row in signatures[1:]] == [
        ["Patricia León", "Convoca"], ["Defensora Ruiz", "Instancia Regional"],
        ["Dr. Salas", "Instancia Regional"], ["Jorge Pinto", "Instancia Operador"],
        ["Lina Mora", "Instancia Operador"]]
    assert signatures[1][2:] == ["", ""]  # signature and date: by hand

    barriers = table_rows(tables_by_header(document, "Barrera u obstáculo")[0])
    assert barriers[1:] == [["Demora en citas de salud mental.", "4", "Salud"],
                            ["Falta de registro civil.", "GC-12, GC-19", "Registraduría"]]
    plan = table_rows(tables_by_header(document, "Acción")[0])
    assert plan[1:] == [
        ["Mesa con la EPS para priorizar citas.", "Enlace de Salud", "15 de diciembre de 2026",
         "Citas asignadas en 15 días."],
        ["Jornada de registro.", "Enlace SNBF", "20 de enero de 2027", ""]]
    commitments = table_rows(tables_by_header(document, "Compromiso")[0])
    assert commitments[1:] == [
        ["Actualizar el directorio de servicios.", "Jorge Pinto", "", "Cumplido", ""],
        ["Visitas conjuntas.", "", "", "En curso", "Faltan dos municipios."]]
    assert "Resumen: Cumplido: 1; En curso: 1; No cumplido: 0." in body_text(document)
    assert labelled_value(document, "Fecha") == "20 de noviembre de 2026"
    assert "15 de febrero de 2027" in body_text(document)


def test_deadline_before_the_conference_is_reported_next_to_its_row(client):
    response = issue_through_page(client, CONFERENCE_URL, data=conference(
        client, **{"action_plan-1-deadline": "2026-11-01", "action_plan-0-action": ""}))
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    assert re.search(r'id="action_plan-1-deadline-error">\s*<span>Error: El plazo no puede ser '
                     r'anterior a la fecha de la conferencia.', page)
    assert re.search(r'id="action_plan-0-action-error">\s*<span>Error: Este campo es obligatorio',
                     page)
    assert has_textarea_text(page, "Jornada de registro.")
    assert 'value="Enlace de Salud"' in page


def test_attending_without_name_is_an_error(client):
    response = issue_through_page(client, CONFERENCE_URL, data=conference(
        client, **{"regional_participants-3-attending": "y"}))
    assert response.status_code == 400
    assert 'id="regional_participants-3-name-error"' in response.get_data(as_text=True)


def test_next_conference_more_than_three_months_away_warns(client):
    response = client.post(CONFERENCE_URL, data=conference(client,
                                                           next_conference_date="2027-03-01"))
    page = unescape(response.get_data(as_text=True))
    assert response.mimetype == "text/html" and 'id="review-warnings"' in page
    assert "como mínimo cada tres (3) meses" in page.split('id="review-warnings"', 1)[1]


def test_rows_added_and_removed_without_javascript(client):
    data = conference(client, row_action="add:barriers")
    page = unescape(issue_through_page(client, CONFERENCE_URL, data=data).get_data(as_text=True))
    assert 'id="barriers-2-barrier"' in page
    data = conference(client, row_action="remove:barriers:0")
    page = unescape(issue_through_page(client, CONFERENCE_URL, data=data).get_data(as_text=True))
    assert has_textarea_text(page, "Falta de registro civil.")
    assert "Demora en citas de salud mental." not in page


def test_fixed_participant_rows_cannot_be_removed(client):
    data = conference(client, row_action="remove:regional_participants:0")
    page = unescape(issue_through_page(client, CONFERENCE_URL, data=data).get_data(as_text=True))
    assert page.count('name="regional_participants-') >= 2 * len(REGIONAL_PARTICIPANTS)
    assert 'value="remove:regional_participants' not in page


def test_action_plan_carries_forward_as_next_commitments(app, client):
    # A document made elsewhere (another team here: what this team's tracker does not know).
    previous = post_conference(new_account(app, "sur@example.org", ("coordinador",),
                                           "Equipo Sur")).data
    data = conference(client, **{f"commitments-{i}-{name}": None for i in (0, 1)
                                 for name in ("commitment", "responsible", "status",
                                              "observation")})
    data["row_action"] = "load:previous"
    data["previous_document"] = (io.BytesIO(previous), "conferencia-anterior.docx")
    response = issue_through_page(client, CONFERENCE_URL, data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert "Se cargaron 2 compromisos de la conferencia anterior." in page
    assert has_textarea_text(page, "Mesa con la EPS para priorizar citas.")
    assert 'id="commitments-1-deadline" name="commitments-1-deadline" type="date" value="2027-01-20"' in page
    assert 'value="Regional Norte de Santander"' in page  # what was typed is kept

    # Marked with their status, they appear in the new conference's follow-up.
    followed = conference(client, conference_date="2027-02-15", next_conference_date="2027-05-10",
                          **{"commitments-0-commitment": "Mesa con la EPS para priorizar citas.",
                             "commitments-0-status": "not_done",
                             "commitments-1-commitment": "Jornada de registro.",
                             "commitments-1-status": "done",
                             "action_plan-0-deadline": "2027-03-01",
                             "action_plan-1-deadline": "2027-03-01"})
    document = open_docx(issue_through_page(client, CONFERENCE_URL, data=followed).data)
    rows = table_rows(tables_by_header(document, "Compromiso")[0])
    assert [row[0] for row in rows[1:]] == ["Mesa con la EPS para priorizar citas.",
                                            "Jornada de registro."]
    assert [row[3] for row in rows[1:]] == ["No cumplido", "Cumplido"]


def test_loading_a_foreign_file_is_refused_clearly(client):
    for upload in ((io.BytesIO(b"not a docx"), "x.docx"), None):
        data = conference(client, row_action="load:previous")
        if upload:
            data["previous_document"] = upload
        response = issue_through_page(client, CONFERENCE_URL, data=data, content_type="multipart/form-data")
        assert response.status_code == 400
        assert 'id="previous_document-error"' in response.get_data(as_text=True)


def test_a_registro_document_is_not_a_previous_conference(client):
    from tests.helpers import REGISTRO_URL, valid_registro

    registro = issue_through_page(client, REGISTRO_URL, data=valid_registro()).data
    data = conference(client, row_action="load:previous")
    data["previous_document"] = (io.BytesIO(registro), "registro.docx")
    page = unescape(issue_through_page(client, CONFERENCE_URL, data=data,
                                content_type="multipart/form-data").get_data(as_text=True))
    assert "no es un documento de la Conferencia ampliada" in page


def test_mesa_interna_document(client):
    data = page_defaults(client, MESA_URL)
    for key, value in {"meeting_date": "2026-11-05", "modality": "residential_care",
                       "case_managers-0-text": "Jorge Pinto",
                       "difficulties": "Rotación de profesionales en los equipos.",
                       "good_practices": "Reuniones de caso con la familia extensa.",
                       "agreements-0-action": "Compartir protocolo de acogida.",
                       "agreements-0-responsible": "Jorge Pinto",
                       "agreements-0-deadline": "2026-11-30"}.items():
        data[key] = value
    data.add("case_managers-1-text", "Sara Gil")
    response = issue_through_page(client, MESA_URL, data=data)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    document = open_docx(response.data)
    assert labelled_value(document, "Fecha") == "5 de noviembre de 2026"
    assert labelled_value(document, "Modalidad") == "Acogimiento Residencial"
    assert labelled_value(document, "Gestores de caso presentes") == "Jorge Pinto\nSara Gil"
    text = body_text(document)
    assert "Rotación de profesionales en los equipos." in text
    assert "Reuniones de caso con la familia extensa." in text
    assert "Cada mes los gestores de caso de cada modalidad realizarán una mesa interna" in text
    agreements = tables_by_header(document, "Acuerdo")[-1]  # after the follow-up of earlier ones
    assert table_rows(agreements)[1] == ["Compartir protocolo de acogida.", "Jorge Pinto",
                                         "30 de noviembre de 2026"]
    assert document.sections[0].header.tables[0].rows[0].cells[2].text == "F4.G34.P"


# --- the follow-up of the mesa's agreements (issue #33) -------------------------------------------
def mesa(client, modality="residential_care", **values):
    """A mesa interna's form data as its page sends it."""
    data = page_defaults(client, MESA_URL)
    for key, value in {"meeting_date": "2026-11-05", "modality": modality,
                       "case_managers-0-text": "Jorge Pinto",
                       "difficulties": "Rotación de profesionales en los equipos."}.items():
        data[key] = value
    for key, value in values.items():
        data[key] = value
    return data


def issued_mesa(client, modality="residential_care", **values):
    response = issue_through_page(client, MESA_URL, data=mesa(client, modality, **values))
    assert response.status_code == 200, unescape(response.get_data(as_text=True))[:2000]
    return open_docx(response.data)


def loaded_mesa(client, modality="residential_care") -> str:
    response = client.post(MESA_URL, data=mesa(client, modality, meeting_date="2026-12-03",
                                               row_action="load:last"))
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_a_mesas_agreements_come_back_in_the_next_mesa_of_its_modality(client):
    issued_mesa(client, **{"agreements-0-action": "Acuerdo RESIDENCIAL-41.",
                           "agreements-0-responsible": "Jorge Pinto",
                           "agreements-0-deadline": "2026-11-30"})
    issued_mesa(client, "foster_care", meeting_date="2026-11-06",
                **{"agreements-0-action": "Acuerdo HOGAR-SUSTITUTO-52.",
                   "agreements-0-responsible": "Sara Gil"})
    page = loaded_mesa(client)
    assert "Se cargó 1 acuerdo abierto el 3 de diciembre de 2026." in page  # the tracker
    assert textarea_value(page, "previous_agreements-0-action") == "Acuerdo RESIDENCIAL-41."
    assert input_value(page, "previous_agreements-0-deadline") == "2026-11-30"
    assert "Acuerdo HOGAR-SUSTITUTO-52." not in page  # another modality's mesa

    second = issued_mesa(client, meeting_date="2026-12-03", **{
        "previous_agreements-0-action": "Acuerdo RESIDENCIAL-41.",
        "previous_agreements-0-responsible": "Jorge Pinto",
        "previous_agreements-0-status": "not_done",
        "previous_agreements-0-note": "Nota MESA-SEGUIMIENTO-63.",
        "previous_agreements-1-action": "Acuerdo YA-CUMPLIDO-74.",
        "previous_agreements-1-status": "done"})
    follow_up = table_rows(tables_by_header(second, "Acuerdo")[0])
    assert follow_up == [["Acuerdo", "Responsable", "Plazo", "Estado", "Nota"],
                         ["Acuerdo RESIDENCIAL-41.", "Jorge Pinto", "", "No cumplido",
                          "Nota MESA-SEGUIMIENTO-63."],
                         ["Acuerdo YA-CUMPLIDO-74.", "", "", "Cumplido", ""]]

    page = loaded_mesa(client)
    assert textarea_value(page, "previous_agreements-0-action") == "Acuerdo RESIDENCIAL-41."
    assert "Acuerdo YA-CUMPLIDO-74." not in page


def test_a_mesa_asks_for_its_modality_and_finds_one_issued_before_mesas_were_followed(
        app, client):
    issued = issued_mesa(client, **{"agreements-0-action": "Acuerdo ANTIGUO-85.",
                                    "agreements-0-responsible": "Jorge Pinto"})
    set_record(app, record_id_of(app, issued.core_properties.identifier), subject_digest=None)
    page = loaded_mesa(client)
    assert textarea_value(page, "previous_agreements-0-action") == "Acuerdo ANTIGUO-85."
    response = client.post(MESA_URL, data=mesa(client, "", row_action="load:last"))
    assert "Elija primero la modalidad" in unescape(response.get_data(as_text=True))
