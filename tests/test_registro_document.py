"""The Registro, generated through HTTP, read back with python-docx."""
import datetime as dt
import io
import re
import zipfile

import pytest

from tests.factories import tiny_png
from tests.helpers import (
    REGISTRO_URL,
    body_text,
    find_table,
    header_rows,
    issue_through_page,
    labelled_value,
    open_docx,
    part_xml,
    table_rows,
    valid_registro,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def generated(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype == DOCX
    return response


def test_meeting_data_appears_in_its_table(generated):
    document = open_docx(generated.data)
    assert labelled_value(document, "Nombre del Supervisor") == "Marta Gómez"
    assert labelled_value(document, "Fecha") == "20 de noviembre de 2026"
    assert labelled_value(document, "Hora de inicio") == "09:30"
    assert labelled_value(document, "Duración") == "1 h 15 min"
    assert labelled_value(document, "Tipo de reunión") == "Regular"
    assert labelled_value(document, "Trabajadores Sociales Presentes") == "Luis Ortega\nCarmen Ruiz"


def test_each_worker_presentation_is_a_row(generated):
    table = find_table(open_docx(generated.data), "Trabajador social")
    assert table_rows(table)[1:] == [
        ["Luis Ortega", "Cerró dos planes de caso con la familia.",
         "Demoras en la respuesta del sector salud."],
        ["Carmen Ruiz", "Primera visita con intérprete.", "Carga de casos alta."],
    ]


def test_the_supervisor_and_each_worker_present_have_a_line_to_sign(generated):
    document = open_docx(generated.data)
    rows = table_rows(find_table(document, "Nombre"))
    assert rows[0] == ["Nombre", "Rol", "Firma", "Fecha"]
    assert rows[1:] == [["Marta Gómez", "Supervisor/a", "", ""],
                        ["Luis Ortega", "Trabajador/a social", "", ""],
                        ["Carmen Ruiz", "Trabajador/a social", "", ""]]
    heading = next(p for p in document.paragraphs if p.text == "Firmas y asistencia")
    assert heading.style.name.startswith("Heading")


def test_agenda_notes_sit_next_to_their_section_and_guidance(generated):
    rows = table_rows(find_table(open_docx(generated.data), "Agenda"))
    assert rows[0] == ["Agenda", "Notas de la discusión"]
    by_section = {row[0].split("\n")[0]: row for row in rows[1:]}
    assert by_section["Bienvenida, apertura y registro"][1] == "Se aprobó la agenda."
    assert by_section["De Gestión"][1] == "Nuevo formato de informe mensual."
    assert by_section["De Desarrollo"][1] == "Tema propuesto: entrevista a adolescentes."
    assert by_section["De Apoyo"][1] == "Ejercicio de mandala revisado."
    assert by_section["Cierre y puntos de acción"][1] == "Resumen de acuerdos."
    assert "El equipo revisa y aprueba la agenda." in by_section["Bienvenida, apertura y registro"][0]
    assert "Número de casos abiertos" in by_section["De Gestión"][0]


def test_case_review_holds_counts_only(generated):
    document = open_docx(generated.data)
    assert labelled_value(document, "Número de casos abiertos") == "24"
    assert labelled_value(document, "Casos de alto riesgo") == "3"
    assert labelled_value(document, "Casos de riesgo medio") == "5"
    assert labelled_value(document, "Casos estancados o asuntos complejos de protección") == (
        "Caso GC-031: estancado por falta de cupo.")


def test_actions_of_supervisor_and_workers_are_separate_tables(generated):
    document = open_docx(generated.data)
    supervisor, workers = [table for table in document.tables
                           if table.rows[0].cells[0].text == "Acción"]
    assert table_rows(supervisor)[1:] == [
        ["Gestionar cupo con el operador.", "Marta Gómez", "27 de noviembre de 2026"]]
    assert table_rows(workers)[1:] == [
        ["Actualizar planes de caso.", "Luis Ortega", "25 de noviembre de 2026"]]


def test_next_meeting(generated):
    document = open_docx(generated.data)
    rows = [row for table in document.tables for row in table_rows(table)]
    assert ["Fecha", "27 de noviembre de 2026"] in rows
    assert ["Programa para la semana siguiente", "Revisión de casos de alto riesgo."] in rows


def test_confidentiality_agreement_is_in_the_document(generated):
    text = body_text(open_docx(generated.data))
    assert "lo que se discuten en la reunión relacionado con los casos no se comparta" in text
    assert "“se necesita conocer”" in text
    assert "no contiene nombres ni datos que identifiquen" in text


def test_controlled_header_comes_from_the_catalogue(app, generated):
    document = open_docx(generated.data)
    entry = app.extensions["webforms.catalogue"].current().get("registro_reunion")
    rows = header_rows(document)
    assert rows[0][0] == "BIENESTAR FAMILIAR"
    assert rows[0][1:] == ["PROCESO PROTECCIÓN", entry.code, entry.issued.strftime("%d/%m/%Y")]
    assert rows[1][1:3] == ["REGISTRO DE LA REUNIÓN DE GESTIÓN DE CASOS",
                            f"Versión {entry.version}"]
    assert rows[1][3].startswith("Página ") and " de " in rows[1][3]
    assert entry.code == "F1.G34.P"


def test_page_x_of_y_are_real_word_fields(generated):
    header = part_xml(generated.data, r"word/header\d*\.xml")
    assert '<w:fldChar w:fldCharType="begin"' in header
    assert "PAGE \\* MERGEFORMAT" in header
    assert "NUMPAGES \\* MERGEFORMAT" in header
    assert header.index("Página") < header.index(" PAGE ") < header.index(" de ") < header.index(
        " NUMPAGES ")


def test_footer_lines(generated):
    footer = [p.text for p in open_docx(generated.data).sections[0].footer.paragraphs]
    assert "Antes de imprimir este documento… piense en el medio ambiente!" in footer
    assert ("Cualquier copia impresa de este documento se considera como COPIA NO CONTROLADA."
            in footer)


def test_every_section_carries_the_frame(generated):
    document = open_docx(generated.data)
    for section in document.sections:
        assert section.header.tables and not section.header.is_linked_to_previous


def test_core_properties(generated):
    props = open_docx(generated.data).core_properties
    assert props.title == "Registro de la Reunión de Gestión de Casos"
    assert props.subject == "Proceso Protección"
    assert re.fullmatch(r"F1\.G34\.P-\d{4}-\d{6}", props.identifier)
    assert "F1.G34.P" in props.keywords
    assert props.version == "3"  # the template version (3: the signatures)
    assert props.author == "BIENESTAR FAMILIAR"
    assert props.last_modified_by == "BIENESTAR FAMILIAR"
    created = props.created.replace(tzinfo=dt.timezone.utc)
    assert abs(created - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)


def test_download_name_is_readable_with_ascii_fallback(generated):
    """The copy's number (it begins with the code) names the file: two records of one day never
    share a name."""
    number = open_docx(generated.data).core_properties.identifier
    disposition = generated.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (f'filename="{number} Registro de la Reunion de Gestion de Casos 2026-11-20.docx"'
            in disposition)
    assert (f"filename*=UTF-8''{number}%20Registro%20de%20la%20Reuni%C3%B3n%20de%20Gesti%C3%B3n"
            in disposition)
    assert "\r" not in disposition and "\n" not in disposition


def test_no_copy_is_written_to_output_the_record_is_kept_sealed(app, generated, output_dir):
    from webforms.storage.database import db
    from webforms.storage.models import Record

    assert not output_dir.exists() or not any(output_dir.iterdir())
    number = open_docx(generated.data).core_properties.identifier
    with app.app_context():
        record = db.session.scalar(db.select(Record).where(Record.number == number))
        assert (record.status, record.revision, record.document_key) == (
            "issued", 1, "registro_reunion")
        assert b"Marta" not in record.sealed and "Marta Gómez".encode() not in record.sealed


def test_extended_meeting_shows_its_kind_and_topic(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(
        meeting_type="extended", extended_kind="guest_speaker",
        extended_topic="Fiscalía: ruta de denuncia"))
    assert response.status_code == 200
    assert labelled_value(open_docx(response.data), "Tipo de reunión") == (
        "Extendida (mensual) — Orador invitado: Fiscalía: ruta de denuncia")


def test_blank_rows_are_left_out_and_empty_action_list_says_so(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(**{
        "workers-2-name": "", "workers-2-success": "", "supervisor_actions-0-action": "",
        "supervisor_actions-0-responsible": "", "supervisor_actions-0-deadline": ""}))
    assert response.status_code == 200
    document = open_docx(response.data)
    assert len(find_table(document, "Trabajador social").rows) == 3
    supervisor = [t for t in document.tables if t.rows[0].cells[0].text == "Acción"][0]
    assert table_rows(supervisor)[1][0] == "Ninguna acción registrada."


def test_no_template_tag_is_left_in_the_document(generated):
    xml = part_xml(generated.data, r"word/(document|header\d*|footer\d*)\.xml")
    for leftover in ("{{", "}}", "{%", "%}", "None"):
        assert leftover not in xml


def test_configured_logo_and_organization_appear_in_the_header(app, client, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(tiny_png())
    app.config.update(ORG_LOGO=str(logo), ORG_NAME="Oficina Regional Norte")
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert response.status_code == 200
    assert header_rows(open_docx(response.data))[0][0].strip() == "Oficina Regional Norte"
    assert "<w:drawing>" in part_xml(response.data, r"word/header\d*\.xml")
    with zipfile.ZipFile(io.BytesIO(response.data)) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())
