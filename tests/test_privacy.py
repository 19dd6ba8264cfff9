"""Names in case narratives are caught, and the guides' own sentences are not: measured on a set
of sentences that name people and on sentences of the seeds, figures printed."""
import re

import pytest

from webforms.config import PROJECT_ROOT
from webforms.forms.privacy import may_identify_someone, may_name_someone

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"

# How a worker might write about a case with names in it (made-up people).
NAMING = [
    "La niña Valentina Gutiérrez López no asistió a la cita con psicología.",
    "Su hermano Juan David Gutiérrez también requiere valoración.",
    "Se visitó a la familia de Sofía Ramírez en el barrio.",
    "El niño Mateo presenta signos de desnutrición.",
    "La madre, Luisa Fernanda, refiere que no tiene documentos.",
    "Camila Torres cambió de colegio sin avisar.",
    "Se acordó que la abuela Carmen acompañará el proceso.",
    "Brayan Stiven fue remitido a medicina legal.",
    "El padre Jorge Pérez se niega a firmar el plan.",
    "La adolescente Daniela fue ubicada en hogar sustituto.",
    "Se habló con la tía Martha sobre el cuidado de los niños.",
    "Santiago Herrera y su hermana Isabella siguen sin escolarizar.",
    "La bebé Salomé nació prematura y está hospitalizada.",
    "Kevin Andrés reporta amenazas de un grupo armado.",
    "El acudiente, señor Ramón Díaz, pidió cambio de gestor.",
    "Se recomienda que Juliana Pardo continúe en el programa.",
    "La menor Ximena Ortiz relató el hecho a su docente.",
    "Nicolás y Samuel Castro viven con el padrastro.",
    "Ana María Rincón solicitó apoyo para el arriendo.",
    "El joven Sebastián Mora abandonó el programa.",
    "Se entregó el kit a la mamá de Antonella Suárez.",
    "La señora Rosa Elena Vargas es la cuidadora principal.",
    "Thiago Benítez fue reubicado con su abuelo.",
    "Mariana Gómez no quiere volver a casa.",
    "El hijo de Yolanda Castillo sigue desaparecido.",
    "Su prima Valeria también está en riesgo.",
    "Se contactó al papá de Emiliano Reyes en Cúcuta.",
    "Laura Sofía presenta ausentismo escolar.",
    "El sobrino de la familia, Andrés Felipe, trabaja en la calle.",
    "Isabel Cristina, madre de tres, pidió ayuda humanitaria.",
    "Dylan Alexander fue vinculado a un grupo juvenil.",
    "Se remitió a Gabriela Núñez a atención en salud mental.",
    "La niña Luciana dice que su padre la golpea.",
    "Samantha Pineda quedó a cargo de sus hermanos menores.",
    "Se reunió con el abuelo Gustavo para el plan de cuidado.",
    "Tomás Arango requiere certificado de discapacidad.",
    "El niño Joaquín Silva fue encontrado en la terminal.",
    "Su hermanita Emma necesita vacunas.",
    "Matías Rojas y Lucía Rojas están sin registro civil.",
    "Se citó a la madre Patricia Moreno a la conferencia.",
    "Jerónimo López es víctima de reclutamiento.",
    "La adolescente Paula Andrea está embarazada.",
    "Sergio Medina, tío del niño, ofrece acogerlo.",
    "Martina Cárdenas cambió de ciudad con su familia.",
    "Se verificó que Juan Pablo asiste al colegio.",
    "El bebé de Karen Jiménez tiene bajo peso.",
    "La hija de Diana Bermúdez presenta crisis de ansiedad.",
    "Gael Salazar no tiene acudiente en Colombia.",
    "Se recomendó terapia para Renata Ospina.",
    "El niño Emanuel vive en situación de calle.",
]

NOT_NAMING = [
    "Se revisaron tres casos de alto riesgo sin avances.",
    "El supervisor propuso una sesión sobre autocuidado.",
    "Caso GC-014: pendiente la respuesta del sector salud.",
    "La familia del caso 17 cambió de municipio.",
    "Se acordó priorizar las visitas domiciliarias de esta semana.",
]


def seed_sentences() -> list[str]:
    """Sentences of the guides' own texts (which name no one)."""
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = " ".join(path.read_text("utf-8").split())
        sentences += [s.strip() for s in re.split(r"(?<=[.;:])\s+", text) if 40 <= len(s) <= 400]
    return sentences


def test_names_are_caught_and_the_guides_sentences_are_not():
    if not SEEDS.is_dir():
        pytest.skip("the seed texts are not beside the checkout")
    innocent = seed_sentences() + NOT_NAMING
    assert len(NAMING) >= 50 and len(innocent) >= 50
    caught = [s for s in NAMING if may_name_someone(s)]
    alarms = [s for s in innocent if may_name_someone(s)]
    recall, false_alarms = len(caught) / len(NAMING), len(alarms) / len(innocent)
    print(f"\nnames: recall {recall:.0%} ({len(caught)}/{len(NAMING)}), false alarms "
          f"{false_alarms:.1%} ({len(alarms)}/{len(innocent)})")
    missed = [s for s in NAMING if s not in caught]
    assert recall >= 0.9, missed
    assert false_alarms <= 0.05, alarms


def test_numbers_ages_and_mail_still_warn():
    for text in ("CC 1098765432", "tel. 310 555 1234", "tiene 7 años", "ana@example.org"):
        assert may_identify_someone(text), text


def test_a_name_in_a_narrative_warns_before_the_download(client):
    from tests.helpers import REGISTRO_URL, valid_registro

    response = client.post(REGISTRO_URL, data=valid_registro(
        complex_cases="La niña Valentina Gutiérrez López no asistió a la cita."))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "text/html" in response.content_type
    assert "Emitir con número" in page  # the review step shows it; nothing is issued yet
    warnings = page.split('id="review-warnings"', 1)[1].split("</div>", 1)[0]
    assert "Parece contener el nombre de una persona" in warnings
    assert warnings.count("<li>") == 1  # the supervisor's own name is not a narrative


def test_a_span_of_time_is_not_an_age():
    from webforms.forms.privacy import identifying_words

    for text in ("Audiencias programadas a 3 meses", "Seguimiento cada 6 meses",
                 "Acompañamiento durante 2 años", "Revisión en 3 meses"):
        assert identifying_words(text) == [], text
    assert identifying_words("Un bebé de 8 meses y su hermano de 12 años") == [
        "de 8 meses", "de 12 años"]


def test_the_warning_quotes_the_words_that_raised_it(app):
    from wtforms import TextAreaField

    from webforms.forms.privacy import personal_data_warnings

    class Holder:  # a field as a form holds it
        pass

    field = Holder.__new__(TextAreaField)
    field.data, field.name = "Llamar al 3001234567. La niña Valentina faltó.", "notes"
    with app.test_request_context():
        messages = [str(m) for m in personal_data_warnings([field])["notes"]]
    assert "«3001234567»" in messages[0] and "Valentina" in messages[1]
