"""Texts of the model Terms of Reference (seed: tdr-gestor-casos.txt), verbatim."""
from flask_babel import lazy_gettext as _l

# The seed's opening paragraph describes both settings; each ToR keeps the one that applies.
INTRODUCTION = {
    "unhcr": _l(
        "Dentro del ACNUR, un/a gestor/a de casos es un término usado para referirse a un miembro del "
        "personal al que se le asigna la responsabilidad de realizar acciones específicas como parte "
        "del Procedimiento del Interés Superior. Un/a gestor/a de casos dentro del ACNUR es "
        "identificado/a por el/la supervisor/a de Determinación del interés superior (DIS), el/la "
        "coordinador/a de DIS o el/la oficial de revisión de DIS y es confirmado/a por el/la jefe de "
        "oficina o el/la oficial de protección de mayor jerarquía. A los efectos del Procedimiento "
        "del Interés Superior, el/la trabajador/a de casos del ACNUR informará al/a la supervisor/a "
        "de DIS, al/a la coordinadora de DIS o al/a la oficial de informes de DIS como se indica en "
        "los TdR."),
    "partner": _l(
        "Dentro de una agencia socia, un/a gestor/a de casos podría ser una función o puesto "
        "específico, al que se le asigna la responsabilidad de realizar acciones específicas como "
        "parte del Procedimiento del Interés Superior. Los/las gestor/es/as de casos destinados/as a "
        "una agencia socia son contratados/as por esa agencia."),
}

REPORTS_TO = (
    ("dis_supervisor", _l("Supervisor/a de DIS")),
    ("dis_coordinator", _l("Coordinador/a de DIS")),
    ("dis_review_officer", _l("Oficial de revisión de DIS")),
    ("case_supervisor", _l("Supervisor/a de caso")),
)

RESPONSIBILITIES = (
    _l("A través de la presencia en la comunidad, de visitas domiciliarias, interacciones con los "
       "niños y niñas y otras partes relevantes, identificar a los niños y niñas en situación de "
       "riesgo que necesitan intervenciones de protección;"),
    _l("Como parte de la implementación general del Procedimiento del Interés Superior, llevar a "
       "cabo evaluaciones puntuales del interés superior, desarrollar un plan de caso que garantice "
       "la participación del niño o niña en el proceso; lo que también incluye la gestión de los "
       "casos a través de la documentación adecuada, así como la actualización y el mantenimiento de "
       "la base de datos para el Procedimiento del Interés Superior;"),
    _l("Asegurar derivaciones oportunas y seguimiento apropiado de los casos individuales y continuar "
       "supervisando y brindando apoyo de acuerdo con el plan del caso. Esto podría incluir brindar "
       "orientación, asesoramiento y apoyo emocional, mediación comunitaria y derivaciones "
       "adicionales;"),
    _l("En consulta con el/la supervisor/a designado/a para el proceso de DIS, identificar los casos "
       "que requieren DIS;"),
    _l("Recopilar toda la información relevante para el caso del niño o niña mediante la entrevista "
       "al niño o niña, su familia u otras personas cuidadoras y otras personas que puedan ser "
       "relevantes para el caso del niño o niña;"),
    _l("Analizar la información recopilada, formular recomendaciones para la toma de decisiones, "
       "preparar el informe del caso y enviarlo al/a la oficial de revisión para que tome medidas "
       "adicionales, mientras se continúa supervisando y dando seguimiento a la situación de "
       "protección del niño o niña;"),
    _l("Participar en las reuniones del panel de DIS cuando sea necesario, para aclarar o responder "
       "preguntas y actuar como defensor del niño o niña; y"),
    _l("Liderar o apoyar la implementación de la decisión de DIS e informar al/a la supervisor/a "
       "sobre el progreso o los desafíos. Esto incluye asesorar al/a la supervisor/a sobre los "
       "cambios en la situación de protección del niño o niña."),
)

REQUIREMENTS = (
    _l("Buen conocimiento sobre protección de la niñez, incluyendo experiencia de trabajo con niños "
       "y niñas/bienestar infantil;"),
    _l("Una buena comprensión sobre la protección, incluida la prevención y la respuesta a la "
       "violencia sexual y de género;"),
    _l("Buen conocimiento de la protección comunitaria, incluida la comprensión del rol, de la "
       "estructura y de las prácticas de la comunidad, así como las normas sociales, culturales y de "
       "género de la comunidad dentro de la operación;"),
    _l("Conocimiento de los sistemas nacionales de protección de la niñez, incluidos los roles de "
       "los diferentes actores y los procesos para la protección de la niñez;"),
    _l("Excelentes habilidades para comunicarse con los niños y niñas y para abogar en nombre de "
       "ellos/as; y"),
    _l("Buenas capacidades analíticas y de redacción de informes."),
)

# The seed's opening paragraph as it stands: both settings, printed in every ToR (version 2 on).
OPENING = _l(
    "Dentro del ACNUR, un/a gestor/a de casos es un término usado para referirse a un miembro del "
    "personal al que se le asigna la responsabilidad de realizar acciones específicas como parte del "
    "Procedimiento del Interés Superior, mientras que dentro de una agencia socia, un/a gestor/a de "
    "casos podría ser una función o puesto específico. Un/a gestor/a de casos dentro del ACNUR es "
    "identificado/a por el/la supervisor/a de Determinación del interés superior (DIS), el/la "
    "coordinador/a de DIS o el/la oficial de revisión de DIS y es confirmado/a por el/la jefe de "
    "oficina o el/la oficial de protección de mayor jerarquía. A los efectos del Procedimiento del "
    "Interés Superior, el/la trabajador/a de casos del ACNUR informará al/a la supervisor/a de DIS, "
    "al/a la coordinadora de DIS o al/a la oficial de informes de DIS como se indica en los TdR. "
    "Los/las gestor/es/as de casos destinados/as a una agencia socia son contratados/as por esa "
    "agencia.")

# The model's "Reporta a:" line: the superiors to choose from, printed on the blank ToR.
REPORTS_TO_MODEL = _l(
    "Supervisor/a de DIS / Coordinador/a de DIS / Oficial de revisión de DIS / Supervisor/a de caso "
    "(se decide a nivel operativo)")
