"""Texts of the seed "Registro de la Reunión de Gestión de Casos", verbatim: its definition, the
guidance of each agenda section and the confidentiality agreement. They feed both the page's help
and the Word document."""
from flask_babel import lazy_gettext as _l

INTRODUCTION = (
    (_l("Definición"), _l(
        "Las reuniones de gestión de casos (o reuniones de “supervisión grupal”) son reuniones "
        "programadas regularmente entre el supervisor y el equipo de gestión de casos en las que se "
        "pueden abordar las funciones de rendición de cuentas/de gestión, educacionales/de "
        "desarrollo profesional y de apoyo de la supervisión (pero no deben utilizarse como "
        "reemplazo de la supervisión individual).")),
    (_l("Propósito de la Herramienta"), _l(
        "Un supervisor debe utilizar el Registro de la Reunión de gestión de casos para dar "
        "seguimiento al progreso realizado con los trabajadores sociales en el transcurso de cada "
        "período. La herramienta ayuda al supervisor a facilitar un diálogo constructivo con los "
        "trabajadores sociales sobre las funciones de supervisión. La herramienta también ofrece "
        "espacio para que los supervisores dediquen algunos minutos de la reunión para mantener el "
        "registro de los problemas y las acciones que deben tomarse.")),
    (_l("Frecuencia/Duración"), _l(
        "Debe realizarse una vez cada 1 o 2 semanas a la misma hora, con una duración mínima de 1 "
        "hora, según el contexto y las necesidades. Se recomienda que una vez al mes el supervisor "
        "organice una reunión extendida (por una hora adicional, hasta la mitad del día) para "
        "enfocarse en el desarrollo de destrezas o el cuidado y bienestar del personal.")),
    (_l("Orientación"), _l(
        "Los supervisores de gestión de casos son responsables de programar y organizar "
        "regularmente reuniones de gestión de casos con sus equipos. Se espera que los trabajadores "
        "sociales realicen la preparación necesaria y participen plenamente en la reunión. El "
        "supervisor debe moderar las discusiones de colaboración entre los miembros del equipo y "
        "alentar a los trabajadores sociales a que ofrezcan sugerencias y faciliten la discusión.")),
)

CONFIDENTIALITY_AGREEMENT = _l(
    "Las reuniones de gestión de casos deben realizarse en un lugar privado para garantizar la "
    "confidencialidad. El equipo de gestión de casos debe acordar que lo que se discuten en la "
    "reunión relacionado con los casos no se comparta externamente. Se debe alentar a los "
    "trabajadores sociales a compartir información sobre casos desafiantes, pero se debe evitar "
    "presentar información personal, de acuerdo con el principio de “se necesita conocer”.")

EXTENDED_MEETINGS = _l(
    "Reuniones de Gestión de Casos Extendidas: Se debe realizar una sesión extendida al menos una "
    "vez al mes según las necesidades de bienestar o capacidad de los trabajadores sociales. Los "
    "temas pueden incluir:")

EXTENDED_KINDS = (
    ("thematic", _l("Sesión temática"), _l(
        "El supervisor de gestión de casos debe elegir el tema por adelantado (según las "
        "necesidades de apoyo técnico o de bienestar que identifique como prioridad) o pedir a los "
        "trabajadores sociales que identifiquen temas para los que se necesita ayuda. (Consejo: "
        "consulte el Manual interinstitucional de GC para aprovechar los recursos)")),
    ("case_discussion", _l("Discusión del caso"), _l(
        "El supervisor de gestión de casos le pide a un trabajador social que discuta un caso "
        "interesante o desafiante del cual el resto del personal puede aprender de acuerdo con el "
        "formato descrito en la Guía de Discusión de Casos de PI (consulte el Anexo).")),
    ("guest_speaker", _l("Orador invitado"), _l(
        "El supervisor de gestión de casos puede invitar a expertos técnicos para que compartan "
        "información sobre un tema específico de protección de la infancia o una competencia a "
        "desarrollar dentro del equipo. Los supervisores también pueden solicitar que un "
        "representante de un servicio comunitario (legal, policial, médico, de registro, etc.) "
        "realice una presentación.")),
)

# The five agenda sections of the seed: (field name, title, guidance bullets as (level, text)).
AGENDA = (
    ("welcome_notes", _l("Bienvenida, apertura y registro"), (
        (1, _l("El supervisor saluda al equipo (puede usar una frase para romper el hielo o una "
               "motivante).")),
        (1, _l("El equipo revisa y aprueba la agenda.")),
        (1, _l("Establezca o revise brevemente los “acuerdos” de la reunión especialmente los "
               "relacionados con el intercambio de información.")),
    )),
    ("management_notes", _l("De Gestión"), (
        (1, _l("El supervisor comparte las reflexiones de la semana pasada y brinda "
               "actualizaciones sobre logística, informes, contrataciones, etc.")),
        (1, _l("El supervisor invita a los trabajadores sociales a hacer preguntas o compartir si se "
               "enfrentan a desafíos administrativos u operativos en su trabajo.")),
        (1, _l("Presentación del trabajador social (cada miembro del equipo comparte lo "
               "siguiente):")),
        (2, _l("Un éxito o una experiencia positiva de la semana")),
        (2, _l("Desafíos que experimenta")),
        (2, _l("Revisión anónima de:")),
        (3, _l("Número de casos abiertos")),
        (3, _l("Casos de alto riesgo y algunos casos de riesgo medio [casos estancados, asuntos "
               "complejos de protección, etc.]")),
    )),
    ("development_notes", _l("De Desarrollo"), (
        (1, _l("Con base en los planes de desarrollo de las capacidades de los trabajadores "
               "sociales, el supervisor puede sugerir temas potenciales para un evento de aprendizaje "
               "en equipo, como la enseñanza mediante demostración, oradores invitados o eventos "
               "especiales.")),
        (1, _l("Se les debe pedir a los trabajadores sociales que compartan con el equipo alguna "
               "situación de aprendizaje de la que tengan conocimiento o si tienen un tema que desean "
               "enseñar.")),
    )),
    ("support_notes", _l("De Apoyo"), (
        (1, _l("Mencione el ejercicio de mandala; vigile el progreso hacia el logro de los "
               "objetivos; discuta si los objetivos aún son relevantes.")),
        (1, _l("El supervisor o el trabajador social pueden proponer actividades de formación de "
               "equipos o abordar problemas de bienestar del equipo que hayan observado desde la "
               "última reunión.")),
    )),
    ("closing_notes", _l("Cierre y puntos de acción"), (
        (1, _l("Resumen de la reunión en que se recalquen los puntos de acción planteados y el plazo "
               "esperado.")),
        (1, _l("Programa para la semana siguiente.")),
    )),
)
