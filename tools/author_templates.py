"""Bootstrap the .docx templates of ``doc_templates/`` (run: ``python tools/author_templates.py
[NAME…]``).

Kept so each template is reproducible and reviewable as code. Once a template is in the catalogue,
its .docx is the official file: revise it in Word, not here. A version authored here after the
first one is written under its own name (``versions/<key>/v<N>.docx``) and then registered with
``flask templates new-version``, which keeps the earlier file for the copies issued with it; a
file that already exists is never overwritten (its SHA-256 is in the catalogue), unless
``--force`` is given.
"""
import sys
from functools import partial
from pathlib import Path

from docx.shared import Cm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webforms.documents.authoring import (  # noqa: E402
    add_row,
    box,
    heading,
    label_row,
    label_table,
    new_document,
    paragraph,
    repeating_table,
    signature_block,
    table,
    tag,
    tag_row,
    tr,
)

OUT = Path(__file__).resolve().parent.parent / "doc_templates"


def registro_reunion(path: Path, follow_up: bool = True, signed: bool = True) -> None:
    """The Registro; ``follow_up`` (version 2 on): the previous meeting's actions and how each
    went, before the new actions; ``signed`` (version 3 on): the record starts on a page of its
    own after the guidance, and ends with the signatures of the supervisor and the workers."""
    doc = new_document("Registro de la Reunión de Gestión de Casos")
    heading(doc, "Registro de la Reunión de Gestión de Casos", style="Title")

    tag(doc, "{%p for item in introduction %}")
    paragraph(doc, ("{{ item.title }}: ", "bold"), "{{ item.text }}")
    tag(doc, "{%p endfor %}")
    paragraph(doc, "{{ extended_meetings.intro }}")
    tag(doc, "{%p for kind in extended_meetings.kinds %}")
    paragraph(doc, ("{{ kind.label }}: ", "bold"), "{{ kind.text }}", style="List Bullet")
    tag(doc, "{%p endfor %}")

    heading(doc, "Datos de la reunión").paragraph_format.page_break_before = signed
    data = label_table(doc, [6, 11.5], [
        ("Nombre del Supervisor", "{{ supervisor_name }}"),
        ("Fecha", "{{ meeting_date }}"),
        ("Hora de inicio", "{{ start_time }}"),
        ("Duración", "{{ duration }}"),
        ("Tipo de reunión", ["{{ meeting_type }}", "{% if meeting_type.value == 'extendida' %}",
                             " — ", "{{ extended_kind }}", ": ", "{{ extended_topic }}",
                             "{% endif %}"]),
    ])
    cells = label_row(data, "Trabajadores Sociales Presentes", "{%p for worker in workers %}")
    cells[1].add_paragraph("{{ worker.name }}")
    cells[1].add_paragraph("{%p endfor %}")

    heading(doc, "Acuerdo de confidencialidad")
    paragraph(doc, "{{ confidentiality_agreement }}")
    paragraph(doc, ("{% if no_personal_data %}", "bold"), ("☒", "bold"), ("{% else %}", "bold"),
              ("☐", "bold"), ("{% endif %}", "bold"),
              " El supervisor confirmó que este registro no contiene nombres ni datos que "
              "identifiquen a niñas, niños, adolescentes o a sus familias.")

    heading(doc, "Agenda")
    agenda = table(doc, [8.5, 9], header=["Agenda", "Notas de la discusión"])
    tag_row(agenda, "{%tr for section in agenda %}")
    cells = add_row(agenda, ("{{ section.title }}", "bold"), "{{ section.notes }}")
    guidance = cells[0]
    guidance.add_paragraph("{%p for item in section.guidance %}")
    guidance.add_paragraph("{%p if item.level == 1 %}")
    guidance.add_paragraph("{{ item.text }}", style="List Bullet")
    guidance.add_paragraph("{%p elif item.level == 2 %}")
    guidance.add_paragraph("{{ item.text }}", style="List Bullet 2")
    guidance.add_paragraph("{%p else %}")
    guidance.add_paragraph("{{ item.text }}", style="List Bullet 3")
    guidance.add_paragraph("{%p endif %}")
    guidance.add_paragraph("{%p endfor %}")
    tag_row(agenda, "{%tr endfor %}")

    heading(doc, "Presentación de los trabajadores sociales")
    repeating_table(doc, [4.5, 6.5, 6.5],
                    ["Trabajador social", "Un éxito o una experiencia positiva de la semana",
                     "Desafíos que experimenta"],
                    "worker in workers",
                    ["{{ worker.name }}", "{{ worker.success }}", "{{ worker.challenges }}"])

    heading(doc, "Revisión anónima de casos")
    label_table(doc, [8.5, 9], [
        ("Número de casos abiertos", "{{ open_cases }}"),
        ("Casos de alto riesgo", "{{ high_risk_cases }}"),
        ("Casos de riesgo medio", "{{ medium_risk_cases }}"),
        ("Casos estancados o asuntos complejos de protección", "{{ complex_cases }}"),
    ])

    if follow_up:
        heading(doc, "Seguimiento de las acciones de la reunión anterior")
        repeating_table(doc, [5.5, 3.5, 2.5, 3.5, 2.5] if signed else [6, 3.5, 2.5, 2.5, 3],
                        ["Acción acordada", "Responsable", "Plazo", "Estado", "Nota"],
                        "row in previous_actions",
                        ["{{ row.action }}", "{{ row.responsible }}", "{{ row.deadline }}",
                         ("{{ row.status }}", "bold"), "{{ row.note }}"],
                        empty="Sin acciones de la reunión anterior.")

    for title, name in (("Acciones que realizará el Supervisor:", "supervisor_actions"),
                        ("Acciones que realizarán los Trabajadores Sociales:", "worker_actions")):
        heading(doc, title) if signed else doc.add_paragraph(title, style="Heading 2")
        actions_table(doc, name, "Acción", "Ninguna acción registrada.")

    heading(doc, "Próxima reunión")
    label_table(doc, [6, 11.5], [
        ("Fecha", "{{ next_meeting_date }}"),
        ("Programa para la semana siguiente", "{{ next_meeting_programme }}"),
    ])
    if signed:
        signature_block(doc)
    doc.save(path)


def actions_table(doc, items, first_header, empty):
    """Rows of agreed actions (the form's ActionRow): what, who, by when."""
    repeating_table(doc, [9.5, 4.5, 3.5], [first_header, "Responsable", "Plazo"],
                    f"row in {items}",
                    ["{{ row.action }}", "{{ row.responsible }}", "{{ row.deadline }}"],
                    empty=empty)


def closing(doc) -> None:
    """Keep a handout's last paragraph with the change history the frame appends after it, so
    the history never stands alone on a last page."""
    last = next(para for para in reversed(doc.paragraphs) if not para.text.startswith("{%p"))
    last.paragraph_format.keep_with_next = True


def bullets(doc, loop, text, style="List Bullet"):
    """One list paragraph per item of ``loop`` (``"item in items"``)."""
    tag(doc, f"{{%p for {loop} %}}")
    doc.add_paragraph(text, style=style)
    tag(doc, "{%p endfor %}")


def tdr_gestor_casos(path: Path) -> None:
    doc = new_document("Términos de Referencia (TdR) del Gestor/a de casos")
    heading(doc, "Términos de Referencia (TdR)", style="Title")
    paragraph(doc, ("{{ post_title }}", "bold"))
    label_table(doc, [6, 11.5], [
        ("Nombre del/de la gestor/a de casos",
         ["{% if case_manager_name %}", "{{ case_manager_name }}", "{% else %}",
          "Vacante", "{% endif %}"]),
        ("Título del puesto", "{{ post_title }}"),
        ("Organización", ["{{ organization }}", " (", "{{ agency_type }}", ")"]),
        ("Lugar de destino", "{{ duty_station }}"),
        ("Fecha de inicio", "{{ start_date }}"),
        ("Duración", "{{ term }}"),
    ])
    paragraph(doc, "")
    paragraph(doc, "{{ opening }}")

    heading(doc, "Reporta a:")
    tag(doc, "{%p if reports_to_model %}")
    paragraph(doc, "{{ reports_to_model }}")
    tag(doc, "{%p endif %}")
    paragraph(doc, "{{ reports_to_text }}")

    heading(doc, "Responsabilidad:")
    bullets(doc, "item in responsibilities", "{{ item.text }}", style="List Number")

    heading(doc, "Requisitos:")
    bullets(doc, "item in requirements", "{{ item.text }}")

    tag(doc, "{%p if competencies %}")
    heading(doc, "Competencias:")
    tag(doc, "{%p for group in competencies %}")
    paragraph(doc, ("{{ group.group }}", "bold"))
    bullets(doc, "item in group.entries", "{{ item }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if modality_role %}")
    heading(doc, "Rol específico del (de la) gestor(a) de caso según la agrupación de "
                      "modalidades de atención:")
    paragraph(doc, ("{{ modality }}", "bold"))
    tag(doc, "{%p if modality_role.introduction %}")
    paragraph(doc, "{{ modality_role.introduction }}")
    tag(doc, "{%p endif %}")
    bullets(doc, "aspect in modality_role.aspects", "{{ aspect }}")
    paragraph(doc, "{{ modality_source }}")
    tag(doc, "{%p endif %}")
    signature_block(doc, "Aprobación")
    doc.save(path)


LETTER = '{{ "abcdefghij"[loop.index0] }}) '


def lettered(doc, loop, text):
    """The guide's lettered items: "a) …", "b) …"."""
    tag(doc, f"{{%p for {loop} %}}")
    doc.add_paragraph(LETTER + text).paragraph_format.left_indent = Cm(0.6)
    tag(doc, "{%p endfor %}")


def conferencia_ampliada(path: Path) -> None:
    """Version 2: the guide's 4.1 as it is written (lettered items, convening, participants),
    Tabla 7 with its caption and source, the operator's participants in a table of their own,
    the "Aspectos para tener en cuenta", and the participants' signatures."""
    doc = new_document("Conferencia ampliada para la gestión de casos")
    heading(doc, "Conferencia ampliada para la gestión de casos", style="Title")
    paragraph(doc, ("Finalidad: ", "bold"), "Este espacio tendrá como principales finalidades ser "
              "una instancia regional que:")
    lettered(doc, "purpose in purposes", "{{ purpose }}")
    paragraph(doc, ("Convocatoria: ", "bold"), "{{ convening.intro }}")
    lettered(doc, "item in convening.entries", "{{ item }}")
    paragraph(doc, "{{ frequency }}")
    paragraph(doc, ("Resultado esperado: ", "bold"), "como productos de esta instancia se plantean "
              "las siguientes:")
    lettered(doc, "result in results", "{{ result }}")
    paragraph(doc, ("Participantes: ", "bold"), "{{ participants_intro }}")

    heading(doc, "Datos de la conferencia")
    label_table(doc, [6, 11.5], [
        ("Regional", "{{ regional_office }}"),
        ("Fecha", "{{ conference_date }}"),
        ("Modalidad de la reunión", ["{{ mode }}", "{% if place %}", " — ", "{{ place }}",
                                     "{% endif %}"]),
        ("Convoca", ["{{ convened_by }}", "{% if convener_name %}", " (", "{{ convener_name }}",
                     ")", "{% endif %}"]),
    ])
    conference_participants(doc)

    heading(doc, "Barreras y obstáculos para la movilización de los casos")
    repeating_table(doc, [9.5, 4, 4], ["Barrera u obstáculo", "Casos afectados", "Sector"],
                    "row in barriers",
                    ["{{ row.barrier }}", "{{ row.cases_affected }}", "{{ row.sector }}"],
                    empty="Sin barreras registradas.")
    conference_follow_up(doc)

    heading(doc, "Aspectos para tener en cuenta:")
    tag(doc, "{%p for aspect in aspects %}")
    paragraph(doc, "{{ loop.index }}", ". ", "{{ aspect }}")
    tag(doc, "{%p endfor %}")
    signature_block(doc)
    doc.save(path)


def conference_participants(doc) -> None:
    """Tabla 7 as the guide prints it, who attended for the region, then the operator's people."""
    heading(doc, "{{ table_caption }}")
    participants = table(doc, [2.5, 9.5, 5.5],
                         header=["Instancia", "Participantes", "Aportes esperados"])
    cells = add_row(participants, ("Regional", "bold"), "{%p for person in regional.participants %}",
                    "{{ regional.contribution }}")
    cells[1].add_paragraph("{%p if person.attending %}")
    cells[1].add_paragraph("☒ {{ person.role }}")
    cells[1].add_paragraph("{%p else %}")
    cells[1].add_paragraph("☐ {{ person.role }}")
    cells[1].add_paragraph("{%p endif %}")
    cells[1].add_paragraph("{%p if person.name %}")
    para = cells[1].add_paragraph()
    para.paragraph_format.left_indent = Cm(0.5)
    para.add_run(tr("Nombre:") + " ")
    para.add_run("{{ person.name }}").bold = True
    cells[1].add_paragraph("{%p endif %}")
    cells[1].add_paragraph("{%p endfor %}")
    cells = add_row(participants, ("Operador", "bold"), "{%p for item in operator.guidance %}",
                    "{{ operator.contribution }}")
    cells[1].add_paragraph("{{ item }}")
    cells[1].add_paragraph("{%p endfor %}")
    paragraph(doc, "{{ source }}")

    heading(doc, "Participantes de la instancia Operador")
    repeating_table(doc, [4.5, 6.5, 6.5], ["Nombre", "Participa como", "Modalidad"],
                    "person in operator.participants",
                    ["{{ person.name }}", "{{ person.role }}", "{{ person.modality }}"],
                    empty="Sin participantes registrados.")


def conference_follow_up(doc) -> None:
    """The action plan agreed, the commitments of the last conference and how each went."""
    heading(doc, "Plan de acción para la movilización de casos")
    repeating_table(doc, [6, 3.5, 3, 5], ["Acción", "Responsable", "Plazo", "Resultado esperado"],
                    "row in action_plan",
                    ["{{ row.action }}", "{{ row.responsible }}", "{{ row.deadline }}",
                     "{{ row.expected_result }}"],
                    empty="Sin acciones registradas.")

    heading(doc, "Seguimiento a compromisos")
    repeating_table(doc, [5, 3, 2.5, 3.5, 3.5],
                    ["Compromiso", "Responsable", "Plazo", "Estado", "Observación"],
                    "row in commitments_followed.rows",
                    ["{{ row.commitment }}", "{{ row.responsible }}", "{{ row.deadline }}",
                     ("{{ row.status }}", "bold"), "{{ row.observation }}"],
                    empty="Sin compromisos anteriores.")
    tag(doc, "{%p if commitments_followed.rows %}")
    paragraph(doc, ("Resumen: ", "bold"),
              "{% for item in commitments_followed.counts %}", "{{ item.label }}", ": ",
              "{{ item.count }}", "{% if not loop.last %}", "; ", "{% endif %}", "{% endfor %}",
              ".")
    tag(doc, "{%p endif %}")

    heading(doc, "Próxima conferencia")
    label_table(doc, [6, 11.5], [("Fecha", "{{ next_conference_date }}")])


def agreements_follow_up(doc) -> None:
    """The follow-up of earlier agreements (the form's PreviousActionRow), as the Registro's
    follow-up of the previous meeting's actions."""
    heading(doc, "Seguimiento de acuerdos anteriores")
    repeating_table(doc, [5.5, 3.5, 2.5, 3.5, 2.5],
                    ["Acuerdo", "Responsable", "Plazo", "Estado", "Nota"],
                    "row in previous_agreements",
                    ["{{ row.action }}", "{{ row.responsible }}", "{{ row.deadline }}",
                     ("{{ row.status }}", "bold"), "{{ row.note }}"],
                    empty="Sin acuerdos anteriores por seguir.")


def mesa_interna(path: Path, follow_up: bool = True) -> None:
    """The mesa interna; ``follow_up`` (version 3 on): the earlier agreements and how each went,
    before the new agreements."""
    doc = new_document("Mesa interna mensual de gestores de caso")
    heading(doc, "Mesa interna mensual de gestores de caso", style="Title")
    paragraph(doc, "{{ purpose }}")
    heading(doc, "Datos de la mesa")
    cells = label_table(doc, [6, 11.5], [
        ("Fecha", "{{ meeting_date }}"),
        ("Modalidad", "{{ modality }}"),
        ("Gestores de caso presentes", "{%p for person in case_managers %}"),
    ]).rows[-1].cells
    cells[1].add_paragraph("{{ person.text }}")
    cells[1].add_paragraph("{%p endfor %}")
    heading(doc, "Dificultades en los procesos de atención")
    box(doc, "{{ difficulties }}")
    heading(doc, "Buenas prácticas compartidas")
    box(doc, "{{ good_practices }}")
    if follow_up:
        agreements_follow_up(doc)
    heading(doc, "Acuerdos")
    actions_table(doc, "agreements", "Acuerdo", "Sin acuerdos registrados.")
    signature_block(doc)
    doc.save(path)


def supervision_individual(path: Path, follow_up: bool = True) -> None:
    """The Supervisión Individual; ``follow_up`` (version 3 on): each learning goal's status, and
    the earlier agreements and how each went, before the new agreements."""
    doc = new_document("Registro de Supervisión Individual")
    heading(doc, "Registro de Supervisión Individual", style="Title")
    label_table(doc, [6, 11.5], [
        ("Supervisor/a", "{{ supervisor_name }}"),
        ("Trabajador/a social", "{{ worker_name }}"),
        ("Fecha de la sesión", "{{ session_date }}"),
        ("Hora de inicio", "{{ start_time }}"),
        ("Duración", "{{ duration }}"),
        ("Fecha de la sesión anterior", ["{% if previous_session_date %}",
                                         "{{ previous_session_date }}", "{% else %}",
                                         "Primera sesión", "{% endif %}"]),
    ])

    heading(doc, "Funciones de la supervisión")
    functions = table(doc, [4, 7, 6.5], header=["Función", "Incluye", "Notas"])
    tag_row(functions, "{%tr for function in functions %}")
    cells = add_row(functions, [("{{ loop.index }}", "bold"), (". ", "bold"),
                                ("{{ function.name }}", "bold")],
                    "{%p for item in function.entries %}", "{{ function.notes }}")
    cells[0].add_paragraph("{{ function.purpose }}")
    cells[1].add_paragraph("{%p if item.ticked %}")
    cells[1].add_paragraph("☒ {{ item.text }}")
    cells[1].add_paragraph("{%p else %}")
    cells[1].add_paragraph("☐ {{ item.text }}")
    cells[1].add_paragraph("{%p endif %}")
    cells[1].add_paragraph("{%p endfor %}")
    tag_row(functions, "{%tr endfor %}")
    paragraph(doc, ("Equilibrio de las funciones: ", "bold"), "{{ balance }}")

    heading(doc, "Revisión de la carga de casos")
    label_table(doc, [8.5, 9], [
        ("Casos abiertos", "{{ open_cases }}"),
        ("Casos de alto riesgo", "{{ high_risk_cases }}"),
        ("Casos de riesgo medio", "{{ medium_risk_cases }}"),
        ("Casos nuevos desde la sesión anterior", "{{ new_cases }}"),
        ("Casos cerrados desde la sesión anterior", "{{ closed_cases }}"),
    ])

    heading(doc, "Plan de aprendizaje personal")
    if follow_up:
        repeating_table(doc, [6.5, 5.5, 2.5, 3], ["Objetivo de aprendizaje", "Acción", "Fecha",
                                                  "Estado"],
                        "row in learning_goals",
                        ["{{ row.goal }}", "{{ row.action }}", "{{ row.target_date }}",
                         ("{{ row.status }}", "bold")],
                        empty="Sin objetivos registrados.")
    else:
        repeating_table(doc, [7.5, 7, 3], ["Objetivo de aprendizaje", "Acción", "Fecha"],
                        "row in learning_goals",
                        ["{{ row.goal }}", "{{ row.action }}", "{{ row.target_date }}"],
                        empty="Sin objetivos registrados.")

    heading(doc, "Bienestar y autocuidado")
    box(doc, "{{ wellbeing }}")

    if follow_up:
        agreements_follow_up(doc)
    heading(doc, "Acuerdos")
    actions_table(doc, "agreements", "Acuerdo", "Sin acuerdos registrados.")

    heading(doc, "Próxima sesión")
    label_table(doc, [6, 11.5], [("Fecha de la próxima sesión", "{{ next_session_date }}")])
    signature_block(doc, "Firmas")
    doc.save(path)


def verificacion_hitos(path: Path) -> None:
    doc = new_document("Lista de verificación de criterios de calidad por hito")
    heading(doc, "Lista de verificación de criterios de calidad por hito", style="Title")
    label_table(doc, [6, 11.5], [
        ("Código del caso", "{{ case_code }}"),
        ("Fecha de la revisión", "{{ review_date }}"),
        ("Gestor(a) de caso", "{{ case_manager }}"),
        ("Modalidad", "{{ modality }}"),
    ])

    tag(doc, "{%p for moment in reviewed %}")
    paragraph(doc, ("{{ moment.milestone }}", "bold"), " — ", ("{{ moment.moment }}", "bold"))
    paragraph(doc, "{{ moment.intro }}")
    repeating_table(doc, [9, 3.2, 5.3], ["Criterio", "Valoración", "Observación"],
                    "criterion in moment.criteria",
                    ["{{ criterion.text }}", ("{{ criterion.mark }}", "bold"),
                     "{{ criterion.observation }}"])
    tag(doc, "{%p if moment.note %}")
    paragraph(doc, "{{ moment.note }}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")

    heading(doc, "Resumen por momento")
    repeating_table(doc, [7.5, 2.5, 2.5, 2.5, 2.5],
                    ["Momento", "Cumple", "No cumple", "No aplica", "Aplican"],
                    "moment in reviewed",
                    ["{{ moment.moment }}", "{{ moment.met }}", "{{ moment.not_met }}",
                     "{{ moment.not_applicable }}", "{{ moment.applicable }}"])

    heading(doc, "Técnicas del MAC utilizadas")
    tag(doc, "{%p for technique in techniques_used %}")
    paragraph(doc, ("{{ technique.name }}", "bold"))
    bullets(doc, "action in technique.actions", "{{ action }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not techniques_used %}")
    paragraph(doc, "Ninguna técnica registrada.")
    tag(doc, "{%p endif %}")

    heading(doc, "Acciones de micro y macro gestión acordadas")
    bullets(doc, "action in management", "{{ action }}")
    tag(doc, "{%p if not management %}")
    paragraph(doc, "Ninguna acción registrada.")
    tag(doc, "{%p endif %}")

    heading(doc, "Acciones de seguimiento")
    actions_table(doc, "follow_up", "Acción", "Sin acciones registradas.")
    paragraph(doc, "Fuente: ", "{{ source }}")
    signature_block(doc, "Firmas")
    doc.save(path)


def material_supervision(path: Path) -> None:
    doc = new_document("Funciones de la supervisión en la gestión de casos")
    paragraph(doc, ("Definición de las Directrices Interinstitucionales en la Gestión de Casos:",
                    "bold"))
    paragraph(doc, "{{ definition }}")
    paragraph(doc, "{{ orientation }}")
    heading(doc, "Funciones de la Supervisión dentro de la Gestión de Casos:")
    repeating_table(doc, [4.5, 5.5, 7.5], ["Funciones:", "Propósito:", "Incluye:"],
                    "function in functions",
                    [["{{ function.number }}", ". ", "{{ function.name }}"],
                     "{{ function.purpose }}",
                     "{% for item in function.entries %}· {{ item }}{% if not loop.last %}\n"
                     "{% endif %}{% endfor %}"])
    heading(doc, "Equilibrio de las Funciones: SUPERVISIÓN EFECTIVA")
    paragraph(doc, "{{ balance }}")
    paragraph(doc, "{{ quality }}")
    heading(doc, "La Supervisión es una Práctica de Protección:")
    bullets(doc, "item in protection", "{{ item }}")
    heading(doc, "Estructuras de la Supervisión:")
    bullets(doc, "item in structure", "{{ item }}")
    closing(doc)
    doc.save(path)


def material_definiciones(path: Path) -> None:
    doc = new_document("Definiciones de la gestión de casos")
    heading(doc, "{{ module }}", style="Title")
    tag(doc, "{%p for item in definitions %}")
    paragraph(doc, ("{{ item.title }}", "bold"), (": ", "bold"), "{{ item.text }}")
    tag(doc, "{%p endfor %}")
    closing(doc)
    doc.save(path)


def material_competencias(path: Path) -> None:
    doc = new_document("Competencias del gestor/a de casos")
    heading(doc, "{{ caption }}")
    repeating_table(doc, [4, 13.5], ["Competencias", "Habilidades y conocimientos"],
                    "group in groups",
                    [("{{ group.group }}", "bold"),
                     "{% for item in group.entries %}▪ {{ item }}{% if not loop.last %}\n"
                     "{% endif %}{% endfor %}"])
    paragraph(doc, "{{ source }}")
    tag(doc, "{%p for note in notes %}")
    paragraph(doc, "{{ note.mark }} {{ note.text }}")
    tag(doc, "{%p endfor %}")
    closing(doc)
    doc.save(path)


def material_rol_modalidades(path: Path) -> None:
    doc = new_document("Rol del gestor/a de casos por agrupación de modalidades")
    heading(doc, "{{ caption }}")
    tag(doc, "{%p for group in groups %}")
    heading(doc, "{{ group.group }}")
    tag(doc, "{%p if group.introduction %}")
    paragraph(doc, "{{ group.introduction }}")
    tag(doc, "{%p endif %}")
    bullets(doc, "aspect in group.aspects", "{{ aspect }}")
    tag(doc, "{%p endfor %}")
    paragraph(doc, "{{ source }}")
    closing(doc)
    doc.save(path)


# The latest version of each template (the earlier files are kept as they were issued).
TEMPLATES = {
    "versions/material_supervision/v2.docx": material_supervision,
    "versions/material_definiciones/v2.docx": material_definiciones,
    "versions/material_competencias/v2.docx": material_competencias,
    "versions/material_rol_modalidades/v2.docx": material_rol_modalidades,
    "versions/supervision_individual/v2.docx": partial(supervision_individual, follow_up=False),
    "versions/supervision_individual/v3.docx": supervision_individual,
    "versions/verificacion_hitos/v2.docx": verificacion_hitos,
    "registro_reunion.docx": partial(registro_reunion, follow_up=False, signed=False),  # v1
    "versions/registro_reunion/v2.docx": partial(registro_reunion, signed=False),
    "versions/registro_reunion/v3.docx": registro_reunion,
    "versions/tdr_gestor_casos/v2.docx": tdr_gestor_casos,
    "versions/conferencia_ampliada/v2.docx": conferencia_ampliada,
    "versions/mesa_interna/v2.docx": partial(mesa_interna, follow_up=False),
    "versions/mesa_interna/v3.docx": mesa_interna,
}

if __name__ == "__main__":
    force = "--force" in sys.argv[1:]
    names = [name for name in sys.argv[1:] if name != "--force"] or list(TEMPLATES)
    for name in names:
        target = OUT / name
        if target.exists() and not force:
            print("kept", target, "(it exists; --force rewrites it)")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        TEMPLATES[name](target)
        print("wrote", target)
