"""How a person fills each form: by visible label, as they read it on the page."""
from dataclasses import dataclass, field


@dataclass
class Scenario:
    key: str
    title: str
    texts: list[tuple[str, str]]                       # (label, value) of inputs
    choices: list[str] = field(default_factory=list)   # labels of radios/checkboxes to tick
    selects: list[tuple[str, str]] = field(default_factory=list)
    row_group: str = ""                                 # a repeatable group to add/remove in
    row_texts: list[tuple[str, str]] = field(default_factory=list)  # filled in its first row
    required: tuple[str, str] = ("", "")               # (label, field id) made empty when invalid
    expected: list[str] = field(default_factory=list)  # texts the .docx must contain


SCENARIOS = [
    Scenario(
        key="registro_reunion", title="Registro de la Reunión de Gestión de Casos",
        texts=[("Nombre del Supervisor", "Marta Gómez"), ("Fecha", "2026-11-20"),
               ("Hora de inicio", "09:30"), ("Duración (minutos)", "75"),
               ("Número de casos abiertos", "10"), ("Casos de alto riesgo", "2"),
               ("Casos de riesgo medio", "3")],
        choices=["Confirmo que este registro no contiene nombres ni datos que identifiquen a "
                 "niñas, niños, adolescentes o a sus familias."],
        row_group="workers",
        row_texts=[("Nombre del trabajador social", "Luis Ortega"),
                   ("Un éxito o una experiencia positiva de la semana", "Cerró un plan.")],
        required=("Nombre del Supervisor", "supervisor_name"),
        expected=["Marta Gómez", "Luis Ortega", "Cerró un plan.", "20 de noviembre de 2026"]),
    Scenario(
        key="tdr_gestor_casos", title="Términos de Referencia (TdR) del Gestor/a de casos",
        texts=[("Nombre del/de la gestor/a de casos", "Ana Torres"),
               ("Organización", "Corporación Niñez"), ("Lugar de destino", "Cúcuta"),
               ("Fecha de inicio", "2027-01-15"), ("Duración", "12 meses")],
        choices=["Acogimiento Familiar"],
        row_group="responsibilities",
        required=("Lugar de destino", "duty_station"),
        expected=["Ana Torres", "Cúcuta", "12 meses", "Acogimiento Familiar"]),
    Scenario(
        key="conferencia_ampliada", title="Conferencia ampliada para la gestión de casos",
        texts=[("Regional", "Regional Norte"), ("Fecha", "2026-11-20"), ("Lugar", "Sala 2"),
               ("Fecha de la próxima conferencia", "2027-02-10")],
        choices=["El enlace técnico de la modalidad."],
        row_group="barriers",
        row_texts=[("Barrera u obstáculo", "Demoras en salud."), ("Sector involucrado", "Salud")],
        required=("Regional", "regional_office"),
        expected=["Regional Norte", "Demoras en salud.", "Salud", "10 de febrero de 2027"]),
    Scenario(
        key="mesa_interna", title="Mesa interna mensual de gestores de caso",
        texts=[("Fecha", "2026-11-05"),
               ("Dificultades en los procesos de atención", "Rotación de equipos.")],
        choices=["Acogimiento Residencial"],
        row_group="case_managers",
        row_texts=[("Gestor(a) de caso 1", "Jorge Pinto")],
        required=("Dificultades en los procesos de atención", "difficulties"),
        expected=["Jorge Pinto", "Rotación de equipos.", "Acogimiento Residencial"]),
    Scenario(
        key="supervision_individual", title="Registro de Supervisión Individual",
        texts=[("Supervisor/a", "Marta Gómez"), ("Trabajador/a social", "Luis Ortega"),
               ("Fecha de la sesión", "2026-11-20"), ("Hora de inicio", "10:00"),
               ("Duración (minutos)", "60"), ("Casos abiertos", "8"),
               ("Casos de alto riesgo", "1"), ("Casos de riesgo medio", "2"),
               ("Notas: Rendición de Cuentas y Gestión", "Documentación al día."),
               ("Notas: Educativa y de Desarrollo Profesional", "Curso en línea."),
               ("Notas: De Apoyo", "Pausas activas.")],
        row_group="learning_goals",
        row_texts=[("Objetivo de aprendizaje", "Entrevista a adolescentes.")],
        required=("Trabajador/a social", "worker_name"),
        expected=["Luis Ortega", "Documentación al día.", "Entrevista a adolescentes.",
                  "Funciones cubiertas: 3 de 3."]),
    Scenario(
        key="verificacion_hitos", title="Lista de verificación de criterios de calidad por hito",
        texts=[("Código anónimo del caso", "GC-2026-014"), ("Fecha de la revisión", "2026-11-18"),
               ("Gestor(a) de caso", "Jorge Pinto")],
        choices=["Hito 3: Consolidación del cambio — Reintegración y cierre del caso"],
        row_group="follow_up",
        row_texts=[("Acción", "Revisar el plan de caso."), ("Responsable", "Jorge Pinto")],
        required=("Código anónimo del caso", "case_code"),
        expected=["GC-2026-014", "Revisar el plan de caso.", "Reintegración y cierre del caso"]),
]
