"""The Registro form page: guidance, validation, rows without JavaScript, warnings."""
import re
from html import unescape

from tests.helpers import (
    REGISTRO_URL,
    error_for,
    input_value,
    issue_through_page,
    open_docx,
    textarea_value,
    valid_registro,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def page_text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_page_mirrors_the_seed(client):
    page = page_text(client.get(REGISTRO_URL))
    for text in ("Nombre del Supervisor", "Trabajadores Sociales Presentes",
                 "Bienvenida, apertura y registro", "De Gestión", "De Desarrollo", "De Apoyo",
                 "Cierre y puntos de acción",
                 "El supervisor saluda al equipo (puede usar una frase para romper el hielo o una "
                 "motivante).",
                 "Mencione el ejercicio de mandala", "Número de casos abiertos",
                 "Acciones que realizará el Supervisor",
                 "Acciones que realizarán los Trabajadores Sociales",
                 "Sesión temática", "Discusión del caso", "Orador invitado",
                 "Programa para la semana siguiente"):
        assert text in page, text
    assert "No escriba nombres de niñas, niños o adolescentes" in page
    assert page.count('name="row_action" value="add:') == 4  # workers, previous and new actions
    assert ">Añadir trabajador social</button>" in page
    assert '<legend class="row-label">Trabajador social 3</legend>' in page


def test_labels_are_tied_to_inputs_and_required_is_in_text(client):
    page = page_text(client.get(REGISTRO_URL))
    assert '<label for="supervisor_name">Nombre del Supervisor<span class="required"> (obligatorio)' in (
        page)
    assert 'aria-describedby="welcome_notes-help"' in page


def test_invalid_form_returns_400_with_messages_next_to_fields_and_keeps_values(client, output_dir):
    data = valid_registro(supervisor_name="", meeting_date="20/13/2026",
                          high_risk_cases="20", medium_risk_cases="10",
                          **{"supervisor_actions-0-responsible": ""},
                          no_personal_data=None, welcome_notes="Notas & <conservadas>")
    response = issue_through_page(client, REGISTRO_URL, data=data)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    page = page_text(response)
    assert error_for(page, "supervisor_name") == "Error: Este campo es obligatorio."
    assert "fecha" in error_for(page, "meeting_date").lower()
    assert error_for(page, "medium_risk_cases") == (
        "Error: Los casos de alto y medio riesgo (30) no pueden superar el número de casos "
        "abiertos (24).")
    assert error_for(page, "supervisor_actions-0-responsible") == "Error: Este campo es obligatorio."
    assert "confirme que no contiene datos personales" in error_for(page, "no_personal_data")
    # everything typed is still there
    assert input_value(page, "meeting_date") == "20/13/2026"
    assert input_value(page, "workers-1-name") == "Carmen Ruiz"
    assert textarea_value(page, "welcome_notes") == "Notas & <conservadas>"
    assert textarea_value(page, "supervisor_actions-0-action") == "Gestionar cupo con el operador."
    # the summary at the top links to the fields
    assert '<a href="#supervisor_name">' in page
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_extended_meeting_needs_its_kind_and_topic(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(meeting_type="extended"))
    assert response.status_code == 400
    page = page_text(response)
    assert error_for(page, "extended_kind") == (
        "Error: Elija el tipo de sesión de la reunión extendida.")
    assert error_for(page, "extended_topic") == "Error: Indique el tema o el orador invitado."


def test_at_least_one_worker_is_required(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(**{
        "workers-0-name": "", "workers-0-success": "", "workers-0-challenges": "",
        "workers-1-name": "", "workers-1-success": "", "workers-1-challenges": ""}))
    assert response.status_code == 400
    assert error_for(page_text(response), "workers") == "Error: Añada al menos 1 fila."


def test_next_meeting_must_be_after_this_one(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(next_meeting_date="2026-11-19"))
    assert response.status_code == 400
    assert error_for(page_text(response), "next_meeting_date") == (
        "Error: La próxima reunión debe ser posterior a esta.")


def test_add_row_without_javascript_keeps_everything(client, output_dir):
    data = valid_registro(row_action="add:workers")
    response = issue_through_page(client, REGISTRO_URL, data=data)
    assert response.status_code == 200
    page = page_text(response)
    assert input_value(page, "workers-2-name") == ""
    assert input_value(page, "workers-1-name") == "Carmen Ruiz"
    assert 'id="workers-2-name"' in page and "autofocus" in re.search(
        r'<input[^>]*id="workers-2-name"[^>]*>', page).group(0)
    assert 'class="error"' not in page
    assert not output_dir.exists()


def test_remove_row_without_javascript_renumbers_rows(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(row_action="remove:workers:0"))
    page = page_text(response)
    assert response.status_code == 200
    assert input_value(page, "workers-0-name") == "Carmen Ruiz"
    assert textarea_value(page, "workers-0-success") == "Primera visita con intérprete."
    assert 'id="workers-1-name"' not in page


def test_removing_the_last_row_leaves_an_empty_one(client):
    data = {key: value for key, value in valid_registro().items()
            if not key.startswith("supervisor_actions")}
    data.update({"supervisor_actions-0-action": "Solo una", "row_action": "remove:supervisor_actions:0"})
    page = page_text(issue_through_page(client, REGISTRO_URL, data=data))
    assert textarea_value(page, "supervisor_actions-0-action") == ""


def test_unknown_row_action_is_ignored_safely(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(row_action="add:no_such_field"))
    assert response.status_code == 200
    assert response.mimetype == DOCX


def review_warnings(response) -> str:
    """The warnings the review step lists (nothing is issued while it is shown)."""
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "Emitir con número" in page
    return page.split('id="review-warnings"', 1)[1].split("</div>", 1)[0]


def test_short_meeting_warns_on_the_review_and_is_issued_once_confirmed(client, output_dir):
    data = valid_registro(duration_minutes="45")
    warnings = review_warnings(client.post(REGISTRO_URL, data=data))
    assert "La reunión debería durar al menos 1 hora." in warnings
    assert not output_dir.exists()
    issued = issue_through_page(client, REGISTRO_URL, data=data)
    assert issued.status_code == 200 and issued.mimetype == DOCX
    assert "45 min" in [c.text for t in open_docx(issued.data).tables for r in t.rows
                        for c in r.cells]


def test_every_warning_is_listed_on_the_review(client):
    warnings = review_warnings(client.post(REGISTRO_URL, data=valid_registro(
        duration_minutes="45", next_meeting_date="2026-12-30")))
    assert "debería durar al menos 1 hora" in warnings
    assert "una vez cada 1 o 2 semanas" in warnings


def test_identifying_data_in_case_notes_is_flagged(client):
    warnings = review_warnings(client.post(REGISTRO_URL, data=valid_registro(
        complex_cases="Niña de 9 años, documento 1023456789, vive con la abuela.")))
    assert "se necesita conocer" in warnings


def test_unknown_form_is_404(client):
    response = client.get("/formularios/no-existe")
    assert response.status_code == 404
    assert "Página no encontrada" in page_text(response)


def test_text_in_a_field_the_document_will_not_show_is_announced_not_lost(client):
    data = valid_registro(meeting_type="regular", extended_topic="Orador de la Fiscalía")
    review = client.post(REGISTRO_URL, data=data)
    assert ("Este texto no aparecerá en el documento: solo se usa cuando «Tipo de reunión» es "
            "«Extendida (mensual)»") in review_warnings(review)
    back = re.search(r'href="(/formularios/registro_reunion\?registro=\d+)"',
                     review.get_data(as_text=True)).group(1)  # «Volver al formulario»
    assert 'value="Orador de la Fiscalía"' in unescape(client.get(back).get_data(as_text=True))
    second = issue_through_page(client, REGISTRO_URL, data=data)
    assert second.mimetype.endswith("wordprocessingml.document")
