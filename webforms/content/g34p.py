"""Texts of the guide G34.P (Guía de orientaciones para el rol de gestor de caso), verbatim."""
from flask_babel import lazy_gettext as _l

# Tabla 1. Competencias propias del (de la) gestor(a) de caso: (key, group, items).
COMPETENCIES = (
    ("personal", _l("Personales"), (
        _l("Autoconocimiento."),
        _l("Capacidad de auto reflexión y generar reflexión en otras personas a través de "
           "cuestionamientos"),
        _l("Manejo del estrés y gestión de emociones."),
        _l("Apertura al cambio y a las diferencias."),
        _l("Pensamiento crítico, creatividad"),
        _l("Responsabilidad e integridad."),
    )),
    ("social", _l("Sociales"), (
        _l("Habilidad para conciliar."),
        _l("Manejar problemas y mediar conflictos."),
        _l("Trabajar y coordinar dentro de un equipo."),
        _l("Habilidad para trabajar de forma independiente cuando sea necesario."),
        _l("Mostrar empatía, calidez y autenticidad."),
        _l("Apoyar y motivar a una persona/grupo."),
        _l("Buena comunicación y habilidades para relacionarse con otras(os)."),
    )),
    ("methodological", _l("Metodológicas"), (
        _l("Promover la participación y cooperación de todos los actores en la gestión de casos."),
        _l("Revisar la efectividad de las atenciones."),
        _l("Documentar la información relevante y coherente de forma oportuna y almacenarla de "
           "forma que guarde la confidencialidad."),
    )),
    ("technical", _l("Técnicas"), (
        _l("Conocimiento del modelo de atención y del PARD."),
        _l("Conocimiento del marco legal para trabajar con niñas, niños, adolescentes, familias y "
           "redes de apoyo según contexto."),
        _l("Conocimiento básico sobre el desarrollo integral y las dinámicas familiares en el "
           "contexto cultural."),
        _l("Conocimiento y habilidad para la incorporación de los enfoques del modelo de atención "
           "para el análisis y gestión de los casos."),
        _l("Conocimiento y habilidad para la incorporación del Modelo de Enfoque Diferencial de "
           "Derechos y el enfoque interseccional."),
        # The last two follow a page break in the guide's Tabla 1.
        _l("Conocimiento de las competencias sectoriales y de las entidades que conforman el SNBF."),
        _l("Conocimiento del manejo de la herramienta SIM (una vez inicie el desarrollo de su "
           "rol)."),
    )),
)

# Tabla 5. Rol específico del (de la) gestor(a) de caso por agrupación de modalidades de atención:
# (key, group, introduction, aspects).
MODALITY_ROLES = (
    ("family_support", _l("Modalidades de Apoyo y Fortalecimiento a la Familia o Red Vincular"),
     _l("Teniendo en cuenta que en estas modalidades la niña, el niño o adolescente se encuentra en "
        "su medio familiar, el rol del gestor de caso se centra en los siguientes aspectos:"), (
        _l("Orientar las estrategias que desarrolla el equipo de profesionales del operador para la "
           "vinculación al proceso de atención de las familias y redes de apoyo."),
        _l("Orientar en las estrategias de fortalecimiento para el desarrollo de capacidades "
           "parentales de las familias o redes vinculares de apoyo."),
        _l("Apoyar la articulación con el SNBF y con la oferta estatal a distintos niveles."),
        _l("Apoyar la articulación entre el operador, el equipo interdisciplinario y las autoridades "
           "administrativas para el desarrollo de los hitos y momentos en la gestión de cada caso."),
    )),
    ("residential_care", _l("Acogimiento Residencial"),
     _l("Teniendo en cuenta que en estas modalidades la niña, el niño y el adolescente se encuentran "
        "separados de su medio familiar, el rol del (de la) gestor(a) de caso se centra en los "
        "siguientes aspectos:"), (
        _l("Orientar al equipo de la modalidad para el desarrollo de estrategias para la vinculación "
           "y adherencia de las familias y redes vinculares de apoyo al proceso de atención."),
        _l("Orientar el desarrollo de estrategias para la prevención de la pérdida definitiva del "
           "cuidado parental."),
        _l("Orientar estrategias para la atención y fortalecimiento de las familias de acuerdo con "
           "lo establecido en su Plan Implementación y cualificación PIYC."),
        _l("Orientar el desarrollo de estrategias para la vinculación de redes de apoyo de los "
           "niños, niñas, adolescentes y mayores de 18 años en adoptabilidad, de acuerdo con las "
           "estrategias para promover la adopción o el fortalecimiento de los proyectos de vida, "
           "según corresponda."),
        _l("Incentivar el egreso progresivo como estrategia de acompañamiento a la transición para "
           "el retorno de las niñas, los niños y los adolescentes a un medio familiar o proyecto de "
           "vida independiente."),
        _l("Apoyar la articulación con el SNBF y con la oferta estatal a distintos niveles."),
        _l("Apoyar la articulación entre el operador, el equipo interdisciplinario y las autoridades "
           "administrativas para el desarrollo de los hitos y momentos en la gestión de cada caso."),
    )),
    ("foster_care", _l("Acogimiento Familiar"), None, (
        _l("Orientar el cumplimiento de acciones en torno al fortalecimiento de las familias "
           "sustitutas."),
        _l("Propiciar los procesos de articulación entre la o el responsable del hogar sustituto, el "
           "equipo del operador o equipos élite cuando se trata de operación directa, la autoridad "
           "administrativa y equipos técnicos interdisciplinarios."),
        _l("Promover la vinculación y adherencia al proceso de atención por parte de las familias "
           "biológicas y/o redes vinculares de apoyo."),
        _l("Propiciar los procesos de articulación con el SNBF de acuerdo con las particularidades "
           "de cada caso."),
    )),
)

MODALITY_SOURCE = _l("Fuente: Dirección de Protección. Subdirección de Restablecimiento de "
                     "Derechos. ICBF 2022.")

# 4.1 Mecanismo de apoyo y acompañamiento al gestor de caso: Conferencia ampliada.
CONFERENCE_PURPOSES = (
    _l("Convoque a los actores fundamentales a nivel regional para la gestión de los casos."),
    _l("Apoye las acciones que realizará el gestor de caso en especial en la articulación con los "
       "diferentes actores y sectores."),
    _l("Plantee soluciones a través del análisis conjunto de barreras y obstáculos para la "
       "movilización de los casos."),
)
CONFERENCE_CONVENERS = (
    ("coordination", _l("Coordinadores de asistencia técnica/ grupo o líder de protección")),
    ("modality_liaison", _l("El enlace técnico de la modalidad.")),
    ("delegate", _l("Quienes sean delegados por el Coordinador de Asistencia Técnica o líder de "
                    "Protección.")),
)
CONFERENCE_FREQUENCY = _l("Periodicidad de reunion: como mínimo cada tres (3) meses.")
CONFERENCE_RESULTS = (
    _l("Plan de acción para la movilización de casos."),
    _l("Seguimiento a compromisos que se establezcan."),
)

# Tabla 7. Conferencia ampliada para la gestión de casos.
REGIONAL_PARTICIPANTS = (
    _l("Autoridad Administrativa y /o profesional de equipo Interdisciplinario de la Defensoría de "
       "Familia"),
    _l("Enlace de la modalidad hogar sustituto."),
    _l("Enlace Regional de Sistema Nacional de Bienestar Familiar."),
    _l("Enlace Regional Dirección de Familias y Comunidades."),
    _l("Enlace Regional de la Dirección de Adolescencia y Juventudes."),
    _l("Enlace regional de Proyecto Sueños"),
    _l("Enlaces de Asistencia Técnica Nacional, esta participación puede ser virtual o presencial de "
       "acuerdo con las necesidades identificadas."),
    _l("Enlace de Asistencia Técnica Regional puede ser un profesional del grupo de asistencia "
       "técnica de Protección o un profesional del equipo de asistencia técnica con base en los "
       "resultados de supervisión."),
    _l("Enlace de Salud Regional."),
    _l("Supervisor de contrato."),
    _l("Profesional de apoyo a la supervisión."),
)
REGIONAL_CONTRIBUTION = _l(
    "Brindar y apoyar a los gestores de casos para llevar a cabo alternativas de solución frente a "
    "las dificultades para la movilización efectiva de los casos.")
OPERATOR_PARTICIPANTS = (
    _l("Gestores de caso de las modalidades: cada operador delegará un(a) gestor(a) de caso por cada "
       "modalidad."),
    _l("Coordinador de la modalidad podrá participar en las mesas de los casos de acuerdo con las "
       "necesidades identificadas."),
)
OPERATOR_CONTRIBUTION = _l(
    "Contextualización de barreras y dificultades para la gestión efectiva de los casos")

# "Aspectos para tener en cuenta", point 2.
INTERNAL_TABLE = _l(
    "Cada mes los gestores de caso de cada modalidad realizarán una mesa interna de trabajo donde se "
    "aborden las dificultades para el desarrollo de los procesos de atención y se compartan las "
    "buenas prácticas generadas.")

# 4.1 as the Conferencia ampliada prints it from version 2 on: the guide's lettered lists (each
# item as the guide writes it) and the lines around Tabla 7.
CONVENING = _l("Podrán convocar:")
CONFERENCE_CONVENING = (
    _l("Coordinadores de asistencia técnica/ grupo o líder de protección/"),
    _l("El enlace técnico de la modalidad."),
    _l("Quienes sean delegados por el Coordinador de Asistencia Técnica o líder de Protección."),
)
CONFERENCE_PARTICIPANTS = _l(
    "se convocará a los siguientes actores según las necesidades y particularidades regionales")
CONFERENCE_TABLE = _l("Tabla 7. Conferencia ampliada para la gestión de casos")
GUIDE_SOURCE_2022 = MODALITY_SOURCE  # Tabla 5 and Tabla 7 cite the same source

# "Aspectos para tener en cuenta" after Tabla 7, numbered as in the guide (point 2 is
# INTERNAL_TABLE).
CONFERENCE_ASPECTS = (
    _l("Para la conformación y realización de la Conferencia ampliada para la gestión de casos en "
       "cada regional, se podrán realizar los ajustes de periodicidad, asistentes y forma de reunión "
       "que se requieran, de acuerdo con las particularidades del territorio."),
    INTERNAL_TABLE,
    _l("Para el registro de las acciones de los gestores de caso, se llevará a cabo la forma en que "
       "se establezca en común acuerdo con el Coordinador de la modalidad."),
)

# Tabla 1's caption, footnotes and source, as handout M3 prints them from version 2 on.
COMPETENCIES_TABLE = _l("Tabla 1. Competencias propias del (de la) gestor(a) de caso.")
COMPETENCIES_NOTES = (
    ("³", _l("Adaptado del: Clúster de Protección Global, Comisión Europea y USAID. (2014). Child "
             "Protection Case Management Training Manual for Caseworkers, Supervisors and "
             "Workers.")),
    ("⁴", _l("Implica el conocimiento de lineamientos, manuales, guías, procedimientos relacionados "
             "con Restablecimiento de Derechos.")),
)
COMPETENCIES_SOURCE = _l("Fuente: Dirección de Protección. Subdirección de Restablecimiento de "
                         "Derechos. ICBF 2023.")
MODALITY_TABLE = _l("Tabla 5. Rol específico del (de la) gestor(a) de caso por agrupación de "
                    "modalidades de atención:")
