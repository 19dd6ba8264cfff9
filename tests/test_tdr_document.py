"""Terms of Reference: each organization variant and modality group, kept and edited lists."""
import pytest

from tests.helpers import (
    TDR_URL,
    body_text,
    header_rows,
    issue_through_page,
    labelled_value,
    open_docx,
    paragraphs_after,
    valid_tdr,
)
from webforms.content.g34p import COMPETENCIES, MODALITY_ROLES
from webforms.content.tdr import OPENING, REQUIREMENTS, RESPONSIBILITIES


def generate(client, **overrides):
    response = issue_through_page(client, TDR_URL, data=valid_tdr(client, **overrides))
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    assert response.mimetype.endswith("wordprocessingml.document")
    return open_docx(response.data)


def test_the_person_and_the_post(client):
    document = generate(client, reports_to="case_supervisor")
    assert labelled_value(document, "Nombre del/de la gestor/a de casos") == "Ana María Torres"
    assert labelled_value(document, "Título del puesto") == "Gestor/a de casos"
    assert labelled_value(document, "Organización") == "Corporación Niñez (Agencia socia)"
    assert labelled_value(document, "Lugar de destino") == "Cúcuta"
    assert labelled_value(document, "Fecha de inicio") == "15 de enero de 2027"
    assert labelled_value(document, "Duración") == "12 meses"
    assert paragraphs_after(document, "Reporta a:", "Normal") == ["Supervisor/a de caso"]
    rows = header_rows(document)
    assert rows[0][2] == "F2.G34.P" and rows[1][2] == "Versión 2"


def test_vacancy_without_name_and_with_end_date(client):
    document = generate(client, case_manager_name="", duration="", end_date="2027-12-31")
    assert labelled_value(document, "Nombre del/de la gestor/a de casos") == "Vacante"
    assert labelled_value(document, "Duración") == "hasta el 31 de diciembre de 2027"


@pytest.mark.parametrize("agency", ["unhcr", "partner"])
def test_the_opening_paragraph_quotes_the_model(client, agency):
    """The model's opening describes both settings; every ToR quotes it as it is written
    (version 1 printed a reworded half of it for each setting)."""
    text = body_text(generate(client, agency_type=agency))
    assert str(OPENING) in text
    assert "Dentro de una agencia socia, un/a gestor/a de casos podría ser" not in text


def test_other_reports_to_is_typed(client):
    document = generate(client, reports_to="other", reports_to_other="Coordinadora regional")
    assert paragraphs_after(document, "Reporta a:", "Normal") == ["Coordinadora regional"]


def test_responsibilities_kept_edited_removed_and_added(client):
    document = generate(client, **{
        "responsibilities-0-text": "Identificar niñas y niños en riesgo (texto editado).",
        "responsibilities-3-text": "",
        "responsibilities-8-text": "Coordinar con la mesa regional.",
    })
    items = paragraphs_after(document, "Responsabilidad:")
    assert items[0] == "Identificar niñas y niños en riesgo (texto editado)."
    assert str(RESPONSIBILITIES[3]) not in items
    assert items[1:3] == [str(RESPONSIBILITIES[1]), str(RESPONSIBILITIES[2])]
    assert items[-1] == "Coordinar con la mesa regional."
    assert len(items) == 8
    assert all(p.style.name == "List Number" for p in document.paragraphs if p.text in items)


def test_requirements_as_in_the_seed(client):
    assert paragraphs_after(generate(client), "Requisitos:") == [str(r) for r in REQUIREMENTS]


def test_competencies_all_ticked_by_default_and_unticked_ones_left_out(client):
    document = generate(client, competencies_social=["0", "6"], competencies_technical=[])
    text = body_text(document)
    for item in COMPETENCIES[0][2]:
        assert str(item) in text
    assert "Habilidad para conciliar." in text
    assert "Buena comunicación y habilidades para relacionarse con otras(os)." in text
    assert "Manejar problemas y mediar conflictos." not in text
    assert "Conocimiento del modelo de atención y del PARD." not in text
    groups = [p.text for p in document.paragraphs if p.text in ("Personales", "Sociales",
                                                                 "Metodológicas", "Técnicas")]
    assert groups == ["Personales", "Sociales", "Metodológicas"]


@pytest.mark.parametrize("key, group, introduction, aspects", MODALITY_ROLES)
def test_each_modality_group_adds_its_role_verbatim(client, key, group, introduction, aspects):
    document = generate(client, modality=key)
    heading = ("Rol específico del (de la) gestor(a) de caso según la agrupación de modalidades "
               "de atención:")
    assert paragraphs_after(document, heading) == [str(aspect) for aspect in aspects]
    text = body_text(document)
    assert str(group) in text
    if introduction:
        assert str(introduction) in text


def test_no_modality_means_no_role_section(client):
    text = body_text(generate(client, modality="none"))
    assert "Rol específico del (de la) gestor(a) de caso" not in text
    for _, _, _, aspects in MODALITY_ROLES:
        assert str(aspects[0]) not in text


def test_missing_term_and_bad_dates_are_reported(client):
    response = issue_through_page(client, TDR_URL, data=valid_tdr(client, duration="", end_date="2026-01-01"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "La fecha de finalización debe ser posterior a la de inicio." in page
    response = issue_through_page(client, TDR_URL, data=valid_tdr(client, duration="", end_date=""))
    assert "Indique la duración o la fecha de finalización." in response.get_data(as_text=True)


def test_page_links_to_batch_generation(client):
    page = client.get(TDR_URL).get_data(as_text=True)
    assert 'href="/formularios/tdr_gestor_casos/lote/"' in page
    assert page.count('type="checkbox"') == sum(len(items) for _, _, items in COMPETENCIES)


@pytest.mark.parametrize("interface, document_language, expected", [
    ("es", "en", "Through presence in the community"),
    ("en", "es", "A través de la presencia en la comunidad"),
])
def test_model_sentences_follow_the_document_language_not_the_page(
        client, interface, document_language, expected):
    """The pre-filled rows arrive in the page's language; the document speaks its own."""
    client.set_cookie("lang", interface)
    data = valid_tdr(client, document_language=document_language,
                     **{"responsibilities-8-text": "Apoyar la mesa interna mensual."})
    text = body_text(open_docx(issue_through_page(client, TDR_URL, data=data).data))
    assert expected in text
    assert "Apoyar la mesa interna mensual." in text  # a sentence someone wrote stays as written
