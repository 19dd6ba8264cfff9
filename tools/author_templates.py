"""Bootstrap the .docx templates of ``doc_templates/`` (run: ``python tools/author_templates.py``).

Kept so the first version of each template is reproducible and reviewable as code. Once a template
is in the catalogue, its .docx is the official file: revise it in Word, not here.
"""
import sys
from pathlib import Path

from docx_authoring import (
    add_row,
    box,
    label_row,
    label_table,
    new_document,
    paragraph,
    repeating_table,
    table,
    tag,
    tag_row,
)

OUT = Path(__file__).resolve().parent.parent / "doc_templates"


def registro_reunion(path: Path) -> None:
    doc = new_document("Registro de la Reunión de Gestión de Casos")
    doc.add_paragraph("Registro de la Reunión de Gestión de Casos", style="Title")

    tag(doc, "{%p for item in introduction %}")
    paragraph(doc, ("{{ item.title }}: ", "bold"), "{{ item.text }}")
    tag(doc, "{%p endfor %}")
    paragraph(doc, "{{ extended_meetings.intro }}")
    tag(doc, "{%p for kind in extended_meetings.kinds %}")
    paragraph(doc, ("{{ kind.label }}: ", "bold"), "{{ kind.text }}", style="List Bullet")
    tag(doc, "{%p endfor %}")

    doc.add_paragraph("Datos de la reunión", style="Heading 2")
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

    doc.add_paragraph("Acuerdo de confidencialidad", style="Heading 2")
    paragraph(doc, "{{ confidentiality_agreement }}")
    paragraph(doc, ("{% if no_personal_data %}", "bold"), ("☒", "bold"), ("{% else %}", "bold"),
              ("☐", "bold"), ("{% endif %}", "bold"),
              " El supervisor confirmó que este registro no contiene nombres ni datos que "
              "identifiquen a niñas, niños, adolescentes o a sus familias.")

    doc.add_paragraph("Agenda", style="Heading 2")
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

    doc.add_paragraph("Presentación de los trabajadores sociales", style="Heading 2")
    repeating_table(doc, [4.5, 6.5, 6.5],
                    ["Trabajador social", "Un éxito o una experiencia positiva de la semana",
                     "Desafíos que experimenta"],
                    "worker in workers",
                    ["{{ worker.name }}", "{{ worker.success }}", "{{ worker.challenges }}"])

    doc.add_paragraph("Revisión anónima de casos", style="Heading 2")
    label_table(doc, [8.5, 9], [
        ("Número de casos abiertos", "{{ open_cases }}"),
        ("Casos de alto riesgo", "{{ high_risk_cases }}"),
        ("Casos de riesgo medio", "{{ medium_risk_cases }}"),
        ("Casos estancados o asuntos complejos de protección", "{{ complex_cases }}"),
    ])

    for title, name in (("Acciones que realizará el Supervisor:", "supervisor_actions"),
                        ("Acciones que realizarán los Trabajadores Sociales:", "worker_actions")):
        doc.add_paragraph(title, style="Heading 2")
        actions_table(doc, name, "Acción", "Ninguna acción registrada.")

    doc.add_paragraph("Próxima reunión", style="Heading 2")
    label_table(doc, [6, 11.5], [
        ("Fecha", "{{ next_meeting_date }}"),
        ("Programa para la semana siguiente", "{{ next_meeting_programme }}"),
    ])

    doc.save(path)


def actions_table(doc, items, first_header, empty):
    """Rows of agreed actions (the form's ActionRow): what, who, by when."""
    repeating_table(doc, [9.5, 4.5, 3.5], [first_header, "Responsable", "Plazo"],
                    f"row in {items}",
                    ["{{ row.action }}", "{{ row.responsible }}", "{{ row.deadline }}"],
                    empty=empty)


def bullets(doc, loop, text, style="List Bullet"):
    """One list paragraph per item of ``loop`` (``"item in items"``)."""
    tag(doc, f"{{%p for {loop} %}}")
    doc.add_paragraph(text, style=style)
    tag(doc, "{%p endfor %}")


def tdr_gestor_casos(path: Path) -> None:
    doc = new_document("Términos de Referencia (TdR) del Gestor/a de casos")
    doc.add_paragraph("Términos de Referencia (TdR)", style="Title")
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
    paragraph(doc, "{{ introduction }}")

    doc.add_paragraph("Reporta a:", style="Heading 2")
    paragraph(doc, "{{ reports_to_text }}")

    doc.add_paragraph("Responsabilidad:", style="Heading 2")
    bullets(doc, "item in responsibilities", "{{ item.text }}", style="List Number")

    doc.add_paragraph("Requisitos:", style="Heading 2")
    bullets(doc, "item in requirements", "{{ item.text }}")

    tag(doc, "{%p if competencies %}")
    doc.add_paragraph("Competencias:", style="Heading 2")
    tag(doc, "{%p for group in competencies %}")
    paragraph(doc, ("{{ group.group }}", "bold"))
    bullets(doc, "item in group.entries", "{{ item }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if modality_role %}")
    doc.add_paragraph("Rol específico del (de la) gestor(a) de caso según la agrupación de "
                      "modalidades de atención:", style="Heading 2")
    paragraph(doc, ("{{ modality }}", "bold"))
    tag(doc, "{%p if modality_role.introduction %}")
    paragraph(doc, "{{ modality_role.introduction }}")
    tag(doc, "{%p endif %}")
    bullets(doc, "aspect in modality_role.aspects", "{{ aspect }}")
    paragraph(doc, "{{ modality_source }}")
    tag(doc, "{%p endif %}")

    doc.save(path)


def conferencia_ampliada(path: Path) -> None:
    doc = new_document("Conferencia ampliada para la gestión de casos")
    doc.add_paragraph("Conferencia ampliada para la gestión de casos", style="Title")
    paragraph(doc, ("Finalidad: ", "bold"), "Este espacio tendrá como principales finalidades ser "
              "una instancia regional que:")
    bullets(doc, "purpose in purposes", "{{ purpose }}")
    paragraph(doc, "{{ frequency }}")
    paragraph(doc, ("Resultado esperado: ", "bold"), "como productos de esta instancia se plantean "
              "las siguientes:")
    bullets(doc, "result in results", "{{ result }}")

    doc.add_paragraph("Datos de la conferencia", style="Heading 2")
    label_table(doc, [6, 11.5], [
        ("Regional", "{{ regional_office }}"),
        ("Fecha", "{{ conference_date }}"),
        ("Modalidad de la reunión", ["{{ mode }}", "{% if place %}", " — ", "{{ place }}",
                                     "{% endif %}"]),
        ("Convoca", ["{{ convened_by }}", "{% if convener_name %}", " (", "{{ convener_name }}",
                     ")", "{% endif %}"]),
    ])

    doc.add_paragraph("Participantes", style="Heading 2")
    participants = table(doc, [2.5, 9.5, 5.5],
                         header=["Instancia", "Participantes", "Aportes esperados"])
    cells = add_row(participants, ("Regional", "bold"), "{%p for person in regional.participants %}",
                    "{{ regional.contribution }}")
    cells[1].add_paragraph("{%p if person.attending %}")
    para = cells[1].add_paragraph()
    para.add_run("☒ ").bold = True
    para.add_run("{{ person.role }}")
    para.add_run(" — ")
    para.add_run("{{ person.name }}").bold = True
    cells[1].add_paragraph("{%p else %}")
    cells[1].add_paragraph("☐ {{ person.role }}")
    cells[1].add_paragraph("{%p endif %}")
    cells[1].add_paragraph("{%p endfor %}")
    cells = add_row(participants, ("Operador", "bold"), "{%p for person in operator.participants %}",
                    "{{ operator.contribution }}")
    para = cells[1].add_paragraph()
    para.add_run("{{ person.name }}").bold = True
    for text in (" — ", "{{ person.role }}", ", ", "{{ person.modality }}"):
        para.add_run(text)
    cells[1].add_paragraph("{%p endfor %}")
    cells[1].add_paragraph("{%p if not operator.participants %}")
    cells[1].add_paragraph("Sin participantes registrados.")
    cells[1].add_paragraph("{%p endif %}")
    paragraph(doc, "Fuente: Tabla 7 de la guía G34.P. Instancia Operador: ",
              "{{ operator.guidance[0] }}", " ", "{{ operator.guidance[1] }}")

    doc.add_paragraph("Barreras y obstáculos para la movilización de los casos", style="Heading 2")
    repeating_table(doc, [9.5, 4, 4], ["Barrera u obstáculo", "Casos afectados", "Sector"],
                    "row in barriers",
                    ["{{ row.barrier }}", "{{ row.cases_affected }}", "{{ row.sector }}"],
                    empty="Sin barreras registradas.")

    doc.add_paragraph("Plan de acción para la movilización de casos", style="Heading 2")
    repeating_table(doc, [6, 3.5, 3, 5], ["Acción", "Responsable", "Plazo", "Resultado esperado"],
                    "row in action_plan",
                    ["{{ row.action }}", "{{ row.responsible }}", "{{ row.deadline }}",
                     "{{ row.expected_result }}"],
                    empty="Sin acciones registradas.")

    doc.add_paragraph("Seguimiento a compromisos", style="Heading 2")
    repeating_table(doc, [5.5, 3, 2.5, 2.5, 4],
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

    doc.add_paragraph("Próxima conferencia", style="Heading 2")
    label_table(doc, [6, 11.5], [("Fecha", "{{ next_conference_date }}")])
    doc.save(path)


def mesa_interna(path: Path) -> None:
    doc = new_document("Mesa interna mensual de gestores de caso")
    doc.add_paragraph("Mesa interna mensual de gestores de caso", style="Title")
    paragraph(doc, "{{ purpose }}")
    doc.add_paragraph("Datos de la mesa", style="Heading 2")
    cells = label_table(doc, [6, 11.5], [
        ("Fecha", "{{ meeting_date }}"),
        ("Modalidad", "{{ modality }}"),
        ("Gestores de caso presentes", "{%p for person in case_managers %}"),
    ]).rows[-1].cells
    cells[1].add_paragraph("{{ person.text }}")
    cells[1].add_paragraph("{%p endfor %}")
    doc.add_paragraph("Dificultades en los procesos de atención", style="Heading 2")
    box(doc, "{{ difficulties }}")
    doc.add_paragraph("Buenas prácticas compartidas", style="Heading 2")
    box(doc, "{{ good_practices }}")
    doc.add_paragraph("Acuerdos", style="Heading 2")
    actions_table(doc, "agreements", "Acuerdo", "Sin acuerdos registrados.")
    doc.save(path)


def supervision_individual(path: Path) -> None:
    doc = new_document("Registro de Supervisión Individual")
    doc.add_paragraph("Registro de Supervisión Individual", style="Title")
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

    doc.add_paragraph("Funciones de la supervisión", style="Heading 2")
    functions = table(doc, [4, 7, 6.5], header=["Función", "Incluye", "Notas"])
    tag_row(functions, "{%tr for function in functions %}")
    cells = add_row(functions, ("{{ function.name }}", "bold"),
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

    doc.add_paragraph("Revisión de la carga de casos", style="Heading 2")
    label_table(doc, [8.5, 9], [
        ("Casos abiertos", "{{ open_cases }}"),
        ("Casos de alto riesgo", "{{ high_risk_cases }}"),
        ("Casos de riesgo medio", "{{ medium_risk_cases }}"),
        ("Casos nuevos desde la sesión anterior", "{{ new_cases }}"),
        ("Casos cerrados desde la sesión anterior", "{{ closed_cases }}"),
    ])

    doc.add_paragraph("Plan de aprendizaje personal", style="Heading 2")
    repeating_table(doc, [7.5, 7, 3], ["Objetivo de aprendizaje", "Acción", "Fecha"],
                    "row in learning_goals",
                    ["{{ row.goal }}", "{{ row.action }}", "{{ row.target_date }}"],
                    empty="Sin objetivos registrados.")

    doc.add_paragraph("Bienestar y autocuidado", style="Heading 2")
    box(doc, "{{ wellbeing }}")

    doc.add_paragraph("Acuerdos", style="Heading 2")
    actions_table(doc, "agreements", "Acuerdo", "Sin acuerdos registrados.")
    label_table(doc, [6, 11.5], [("Fecha de la próxima sesión", "{{ next_session_date }}")])
    doc.save(path)


def verificacion_hitos(path: Path) -> None:
    doc = new_document("Lista de verificación de criterios de calidad por hito")
    doc.add_paragraph("Lista de verificación de criterios de calidad por hito", style="Title")
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

    doc.add_paragraph("Resumen por momento", style="Heading 2")
    repeating_table(doc, [7.5, 2.5, 2.5, 2.5, 2.5],
                    ["Momento", "Cumple", "No cumple", "No aplica", "Aplican"],
                    "moment in reviewed",
                    ["{{ moment.moment }}", "{{ moment.met }}", "{{ moment.not_met }}",
                     "{{ moment.not_applicable }}", "{{ moment.applicable }}"])

    doc.add_paragraph("Técnicas del MAC utilizadas", style="Heading 2")
    tag(doc, "{%p for technique in techniques_used %}")
    paragraph(doc, ("{{ technique.name }}", "bold"))
    bullets(doc, "action in technique.actions", "{{ action }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not techniques_used %}")
    paragraph(doc, "Ninguna técnica registrada.")
    tag(doc, "{%p endif %}")

    doc.add_paragraph("Acciones de micro y macro gestión acordadas", style="Heading 2")
    bullets(doc, "action in management", "{{ action }}")
    tag(doc, "{%p if not management %}")
    paragraph(doc, "Ninguna acción registrada.")
    tag(doc, "{%p endif %}")

    doc.add_paragraph("Acciones de seguimiento", style="Heading 2")
    actions_table(doc, "follow_up", "Acción", "Sin acciones registradas.")
    paragraph(doc, "Fuente: ", "{{ source }}")
    doc.save(path)


def material_supervision(path: Path) -> None:
    doc = new_document("Funciones de la supervisión en la gestión de casos")
    doc.add_paragraph("Funciones de la Supervisión dentro de la Gestión de Casos", style="Title")
    paragraph(doc, ("Definición de las Directrices Interinstitucionales en la Gestión de Casos: ",
                    "bold"), "{{ definition }}")
    paragraph(doc, "{{ orientation }}")
    repeating_table(doc, [4.5, 5.5, 7.5], ["Funciones", "Propósito", "Incluye"],
                    "function in functions",
                    [["{{ function.number }}", ". ", "{{ function.name }}"],
                     "{{ function.purpose }}",
                     "{% for item in function.entries %}· {{ item }}{% if not loop.last %}\n"
                     "{% endif %}{% endfor %}"])
    doc.add_paragraph("Equilibrio de las funciones: supervisión efectiva", style="Heading 2")
    paragraph(doc, "{{ balance }}")
    paragraph(doc, "{{ quality }}")
    doc.add_paragraph("La Supervisión es una Práctica de Protección", style="Heading 2")
    bullets(doc, "item in protection", "{{ item }}")
    doc.add_paragraph("Estructuras de la Supervisión", style="Heading 2")
    bullets(doc, "item in structure", "{{ item }}")
    doc.save(path)


def material_definiciones(path: Path) -> None:
    doc = new_document("Definiciones de la gestión de casos")
    doc.add_paragraph("{{ module }}", style="Title")
    tag(doc, "{%p for item in definitions %}")
    doc.add_paragraph("{{ item.title }}", style="Heading 2")
    paragraph(doc, "{{ item.text }}")
    tag(doc, "{%p endfor %}")
    doc.save(path)


def material_competencias(path: Path) -> None:
    doc = new_document("Competencias del gestor/a de casos")
    doc.add_paragraph("Competencias propias del (de la) gestor(a) de caso", style="Title")
    paragraph(doc, "Tabla 1 de la guía G34.P.")
    repeating_table(doc, [4, 13.5], ["Competencias", "Habilidades y conocimientos"],
                    "group in groups",
                    [("{{ group.group }}", "bold"),
                     "{% for item in group.entries %}▪ {{ item }}{% if not loop.last %}\n"
                     "{% endif %}{% endfor %}"])
    doc.save(path)


def material_rol_modalidades(path: Path) -> None:
    doc = new_document("Rol del gestor/a de casos por agrupación de modalidades")
    doc.add_paragraph("Rol específico del (de la) gestor(a) de caso por agrupación de modalidades "
                      "de atención", style="Title")
    paragraph(doc, "Tabla 5 de la guía G34.P.")
    tag(doc, "{%p for group in groups %}")
    doc.add_paragraph("{{ group.group }}", style="Heading 2")
    tag(doc, "{%p if group.introduction %}")
    paragraph(doc, "{{ group.introduction }}")
    tag(doc, "{%p endif %}")
    bullets(doc, "aspect in group.aspects", "{{ aspect }}")
    tag(doc, "{%p endfor %}")
    paragraph(doc, "{{ source }}")
    doc.save(path)


TEMPLATES = {
    "material_supervision.docx": material_supervision,
    "material_definiciones.docx": material_definiciones,
    "material_competencias.docx": material_competencias,
    "material_rol_modalidades.docx": material_rol_modalidades,
    "supervision_individual.docx": supervision_individual,
    "verificacion_hitos.docx": verificacion_hitos,
    "registro_reunion.docx": registro_reunion,
    "tdr_gestor_casos.docx": tdr_gestor_casos,
    "conferencia_ampliada.docx": conferencia_ampliada,
    "mesa_interna.docx": mesa_interna,
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(TEMPLATES)
    for name in names:
        TEMPLATES[name](OUT / name)
        print("wrote", OUT / name)
