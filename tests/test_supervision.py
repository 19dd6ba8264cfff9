"""Individual supervision record and the quality checklist by milestone."""
import re
from html import unescape

import pytest

from tests.factories import SUPERVISION_URL, fill, sent, supervision
from tests.helpers import (
    body_text,
    find_table,
    input_value,
    labelled_value,
    open_docx,
    selected_value,
    table_rows,
    textarea_value,
)
from webforms.config import PROJECT_ROOT
from webforms.content.quality import quality_criteria
from webforms.content.supervision import FUNCTIONS
from webforms.forms.supervision import SupervisionIndividualForm

CHECKLIST_URL = "/formularios/verificacion_hitos"
SEED = PROJECT_ROOT.parent / "shared" / "seeds" / "G34.P-guia-rol-gestor-caso.txt"


def review(client, url, values):
    """The form sent: its review step when valid (nothing issued yet)."""
    return client.post(url, data=sent(client, url, values))


def test_supervision_record(client):
    response = fill(client, SUPERVISION_URL, supervision())
    assert response.status_code == 200, unescape(response.get_data(as_text=True))[:2000]
    document = open_docx(response.data)
    assert labelled_value(document, "Trabajador/a social") == "Luis Ortega"
    assert labelled_value(document, "Duración") == "1 h"
    assert labelled_value(document, "Fecha de la sesión anterior") == "10 de noviembre de 2026"
    functions = table_rows([t for t in document.tables
                            if t.rows[0].cells[0].text == "Función"][0])
    gestion = functions[1]
    assert gestion[0].startswith("1. Rendición de Cuentas y Gestión")  # numbered as the seed
    assert gestion[1].split("\n") == [
        "☐ Recursos Humanos",
        "☒ Planificación, asignación y supervisión de la calidad del trabajo de caso",
        "☐ Coordinación con otros actores", "☒ Documentación",
        "☐ Fortalecimiento de las normas éticas y de la seguridad"]
    assert gestion[2] == "Revisamos la documentación."
    assert functions[3][2] == "Pausas activas."
    text = body_text(document)
    assert "Funciones cubiertas: 3 de 3." in text
    assert labelled_value(document, "Casos nuevos desde la sesión anterior") == "1"
    goals = [t for t in document.tables if t.rows[0].cells[0].text == "Objetivo de aprendizaje"]
    assert table_rows(goals[0])[1] == ["Entrevista a adolescentes.", "Curso virtual.",
                                       "20 de diciembre de 2026", "No iniciado"]
    assert "Carga alta pero manejable." in text


def test_missing_function_is_warned_and_shown_in_the_document(client):
    values = supervision(covered_support=[], notes_support="")
    first = review(client, SUPERVISION_URL, values)
    page = unescape(first.get_data(as_text=True))
    assert first.mimetype == "text/html" and 'id="review-warnings"' in page
    assert "No se cubrieron las tres funciones" in page
    second = fill(client, SUPERVISION_URL, values)
    text = body_text(open_docx(second.data))
    assert "Funciones cubiertas: 2 de 3. Faltó: De Apoyo." in text
    assert "se deben proveer las tres funciones de supervisión" in text


@pytest.mark.parametrize("changes, warning", [
    ({"duration_minutes": "40"}, "debería durar al menos 1 hora"),
    ({"previous_session_date": "2026-10-30"}, "más de dos semanas desde la sesión anterior"),
])
def test_session_rules_warn(client, changes, warning):
    response = review(client, SUPERVISION_URL, supervision(**changes))
    assert response.mimetype == "text/html"
    assert warning in unescape(response.get_data(as_text=True))


def test_caseload_counts_must_add_up(client):
    response = fill(client, SUPERVISION_URL, supervision(high_risk_cases="10"))
    assert response.status_code == 400
    assert "no pueden superar el número de casos abiertos (12)" in unescape(
        response.get_data(as_text=True))


def checklist_values(**overrides):
    values = {"case_code": "GC-2026-014", "review_date": "2026-11-18",
              "case_manager": "Jorge Pinto", "modality": "foster_care",
              "moments": ["0", "4"], "techniques": ["1"], "management_actions": ["0", "5"],
              "follow_up-0-action": "Revisar el plan de caso.",
              "follow_up-0-responsible": "Jorge Pinto"}
    moments = quality_criteria().moments
    for index, _ in enumerate(moments[0].criteria):
        values[f"criteria_{moments[0].key}-{index}-mark"] = "met"
    values[f"criteria_{moments[0].key}-2-mark"] = "not_met"
    values[f"criteria_{moments[0].key}-2-observation"] = "Falta el enfoque de sectores."
    for index, _ in enumerate(moments[4].criteria):
        values[f"criteria_{moments[4].key}-{index}-mark"] = "not_applicable"
    return values | overrides


def test_checklist_document_lists_every_criterion_of_the_chosen_moments(client):
    response = fill(client, CHECKLIST_URL, checklist_values())
    assert response.status_code == 200, unescape(response.get_data(as_text=True))[:3000]
    document = open_docx(response.data)
    assert labelled_value(document, "Código del caso") == "GC-2026-014"
    moments = quality_criteria().moments
    criteria_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Criterio"]
    assert len(criteria_tables) == 2
    first = table_rows(criteria_tables[0])[1:]
    assert [row[0] for row in first] == [c.text for c in moments[0].criteria]
    assert [row[1] for row in first].count("Cumple") == 6
    assert first[2][1:] == ["No cumple", "Falta el enfoque de sectores."]
    last = table_rows(criteria_tables[1])[1:]
    assert [row[1] for row in last] == ["No aplica"] * len(moments[4].criteria)

    summary = table_rows([t for t in document.tables if t.rows[0].cells[0].text == "Momento"][0])
    assert summary[1] == ["Evaluación Integradora", "6", "1", "0", "7"]
    assert summary[2] == ["Reintegración y cierre del caso", "0", "0", "3", "0"]
    text = body_text(document)
    assert "Diseño del Plan de caso" not in text
    assert "Reunión de caso" in text
    assert str(quality_criteria().techniques[1].actions[0]) in text
    assert str(quality_criteria().management_levels[1].actions[1]) in text  # macro item 2
    assert document.sections[0].header.tables[0].rows[0].cells[2].text == "F6.G34.P"


def test_unmarked_criterion_of_a_chosen_moment_is_an_error(client):
    key = quality_criteria().moments[0].key
    response = fill(client, CHECKLIST_URL, checklist_values(**{f"criteria_{key}-3-mark": None}))
    assert response.status_code == 400
    assert f'id="criteria_{key}-3-mark-error"' in response.get_data(as_text=True)


def test_a_moment_must_be_chosen(client):
    response = fill(client, CHECKLIST_URL, checklist_values(moments=[]))
    assert response.status_code == 400
    assert "Elija al menos un momento." in unescape(response.get_data(as_text=True))


def _normal(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.skipif(not SEED.exists(), reason="the seed texts are not beside the checkout")
def test_checklist_data_holds_every_criterion_of_tabla_2():
    seed = SEED.read_text(encoding="utf-8")
    start = seed.index("Tabla 2. Rol específico del (de la) gestor(a) de caso para la "
                       "implementación del proceso de atención\n")
    end = seed.index("Fuente: Dirección de Protección, Subdirección de Restablecimiento", start)
    table = seed[start:end]
    seed_items = [_normal(item) for item in re.findall(r"▪ ([^▪<\n]+)", table)]
    seed_items += [_normal(line[2:]) for line in table.splitlines() if line.startswith("- ")]
    data_items = [_normal(c.text) for m in quality_criteria().moments for c in m.criteria]
    assert sorted(seed_items) == sorted(data_items)
    assert len(data_items) == 35


@pytest.mark.skipif(not SEED.exists(), reason="the seed texts are not beside the checkout")
def test_techniques_and_management_actions_are_verbatim():
    seed = _normal(SEED.read_text(encoding="utf-8"))
    data = quality_criteria()
    for group in (*data.techniques, *data.management_levels):
        for action in group.actions:
            assert _normal(action) in seed


def test_supervision_functions_mirror_the_seed():
    seed_file = PROJECT_ROOT.parent / "shared" / "seeds" / "supervision-functions.txt"
    if not seed_file.exists():
        pytest.skip("the seed texts are not beside the checkout")
    seed = _normal(seed_file.read_text(encoding="utf-8"))
    for _, name, purpose, items in FUNCTIONS:
        assert _normal(str(name)) in seed and _normal(str(purpose)) in seed
        for item in items:
            assert f"· {_normal(str(item))}" in seed


# --- learning goals with status and the follow-up of agreements (issue #33) -----------------------
def goals(*rows):
    """Learning goal rows (goal, status) as the page posts them."""
    return {f"learning_goals-{index}-{name}": value for index, (goal, status) in enumerate(rows)
            for name, value in (("goal", goal), ("action", ""), ("target_date", ""),
                                ("status", status))}


def issued_document(response):
    assert response.status_code == 200, unescape(response.get_data(as_text=True))[:2000]
    return open_docx(response.data)


def loaded_page(client, **values) -> str:
    """The next session's page once «Cargar…» is pressed with the worker typed."""
    response = client.post(SUPERVISION_URL, data=sent(client, SUPERVISION_URL, supervision(
        session_date="2026-12-04", previous_session_date=None, row_action="load:last",
        **{"learning_goals-0-goal": "", "learning_goals-0-action": "",
           "learning_goals-0-target_date": "", "agreements-0-action": "",
           "agreements-0-responsible": ""}) | values))
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_a_goal_in_progress_is_carried_and_an_achieved_one_is_not(client):
    first = issued_document(fill(client, SUPERVISION_URL, supervision(**goals(
        ("Meta EN-PROGRESO-7F.", "in_progress"), ("Meta LOGRADA-3K.", "achieved"),
        ("Meta SIN-EMPEZAR-9Q.", "not_started")))))
    plan = table_rows(find_table(first, "Objetivo de aprendizaje"))
    assert plan[0] == ["Objetivo de aprendizaje", "Acción", "Fecha", "Estado"]
    assert [(row[0], row[3]) for row in plan[1:]] == [
        ("Meta EN-PROGRESO-7F.", "En progreso"), ("Meta LOGRADA-3K.", "Logrado"),
        ("Meta SIN-EMPEZAR-9Q.", "No iniciado")]

    page = loaded_page(client)
    assert "Se cargaron 2 objetivos de aprendizaje de la sesión anterior." in page
    assert textarea_value(page, "learning_goals-0-goal") == "Meta EN-PROGRESO-7F."
    assert selected_value(page, "learning_goals-0-status") == "in_progress"
    assert textarea_value(page, "learning_goals-1-goal") == "Meta SIN-EMPEZAR-9Q."
    assert selected_value(page, "learning_goals-1-status") == "not_started"
    assert "Meta LOGRADA-3K." not in page


def test_a_new_goal_starts_not_started(client):
    page = unescape(client.get(SUPERVISION_URL).get_data(as_text=True))
    assert selected_value(page, "learning_goals-0-status") == "not_started"
    assert [label for label in ("Logrado", "En progreso", "No iniciado") if label in page] == [
        "Logrado", "En progreso", "No iniciado"]


def test_a_goal_of_a_session_issued_before_goals_had_a_status_reads_as_not_started(app):
    with app.test_request_context():
        form = SupervisionIndividualForm(formdata=None, meta={"csrf": False})
        form.load_previous({"document": "supervision_individual", "data": {
            "learning_goals": [{"goal": "Meta antigua.", "action": "", "target_date": ""}]}})
        assert [(row.goal.data, row.status.data) for row in form.learning_goals] == [
            ("Meta antigua.", "not_started")]


def test_agreements_come_back_until_done_or_cancelled_and_the_document_shows_them(client):
    fill(client, SUPERVISION_URL, supervision(**{
        "agreements-0-action": "Acuerdo ABIERTO-51.", "agreements-0-responsible": "Luis Ortega",
        "agreements-0-deadline": "2026-11-30"}))
    page = loaded_page(client)
    assert re.search(r"Se cargó 1 acuerdo abierto el \d+ de \w+ de 2026\.", page)  # the tracker
    assert textarea_value(page, "previous_agreements-0-action") == "Acuerdo ABIERTO-51."
    assert input_value(page, "previous_agreements-0-responsible") == "Luis Ortega"
    assert input_value(page, "previous_agreements-0-deadline") == "2026-11-30"
    assert selected_value(page, "previous_agreements-0-status") == ""  # to be said each time

    second = issued_document(fill(client, SUPERVISION_URL, supervision(**{
        "session_date": "2026-12-04", "previous_session_date": "2026-11-20",
        "next_session_date": "2026-12-18",
        "previous_agreements-0-action": "Acuerdo ABIERTO-51.",
        "previous_agreements-0-responsible": "Luis Ortega",
        "previous_agreements-0-status": "in_progress",
        "previous_agreements-0-note": "Nota SEGUIMIENTO-88.",
        "previous_agreements-1-action": "Acuerdo CANCELADO-62.",
        "previous_agreements-1-status": "cancelled",
        "previous_agreements-2-action": "Acuerdo CUMPLIDO-73.",
        "previous_agreements-2-status": "done",
        "agreements-0-action": "Acuerdo NUEVO-94."})))
    follow_up = table_rows(find_table(second, "Acuerdo"))
    assert follow_up[0] == ["Acuerdo", "Responsable", "Plazo", "Estado", "Nota"]
    assert follow_up[1:] == [
        ["Acuerdo ABIERTO-51.", "Luis Ortega", "", "En curso", "Nota SEGUIMIENTO-88."],
        ["Acuerdo CANCELADO-62.", "", "", "Cancelado", ""],
        ["Acuerdo CUMPLIDO-73.", "", "", "Cumplido", ""]]
    assert "Seguimiento de acuerdos anteriores" in body_text(second)

    page = loaded_page(client, session_date="2026-12-18")
    assert [textarea_value(page, f"previous_agreements-{index}-action") for index in (0, 1)] == [
        "Acuerdo ABIERTO-51.", "Acuerdo NUEVO-94."]
    assert "Acuerdo CANCELADO-62." not in page and "Acuerdo CUMPLIDO-73." not in page
