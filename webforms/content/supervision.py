"""Texts of the seed "Funciones de la Supervisión dentro de la Gestión de Casos", verbatim."""
from flask_babel import lazy_gettext as _l

DEFINITION = _l(
    "“La supervisión es una relación que apoya la competencia técnica y la práctica del trabajador "
    "social, promueve el bienestar y permite el monitoreo eficaz y de apoyo para el trabajo de "
    "casos”.")

# (key, function, purpose, "Incluye" items)
FUNCTIONS = (
    ("management", _l("Rendición de Cuentas y Gestión"),
     _l("Para garantizar la práctica competente y responsable del personal"), (
         _l("Recursos Humanos"),
         _l("Planificación, asignación y supervisión de la calidad del trabajo de caso"),
         _l("Coordinación con otros actores"),
         _l("Documentación"),
         _l("Fortalecimiento de las normas éticas y de la seguridad"),
     )),
    ("development", _l("Educativa y de Desarrollo Profesional"),
     _l("Para asegurarse de que el personal actualice continuamente sus conocimientos y "
        "competencias y las aplique en su trabajo diario"), (
         _l("Evaluación de competencias"),
         _l("Colaboración en planes de aprendizaje personal"),
         _l("Promoción de prácticas reflexivas"),
         _l("Fortalecimiento de los principios guía"),
         _l("Fomento de la autoconciencia"),
     )),
    ("support", _l("De Apoyo"),
     _l("Asegurar el bienestar físico y emocional del equipo de gestión de casos"), (
         _l("Creación de un espacio seguro para la reflexión"),
         _l("Promoción del autocuidado"),
         _l("Tener empatía y normalizar sentimientos"),
         _l("Fortalecimiento de expectativas realistas y límites saludables"),
         _l("Reconocimiento y motivación"),
     )),
)

BALANCE = _l(
    "Para que los trabajadores sociales brinden una gestión de casos de calidad a los niños, niñas "
    "y adolescentes vulnerables, se deben proveer las tres funciones de supervisión.")

STRUCTURE = (
    _l("Proporción sugerida: 1 Supervisor: De 5 a 6 trabajadores sociales"),
    _l("Supervisión individual de manera regular"),
    _l("1 hora semanal"),
    _l("No menos de 1 hora cada 2 semanas"),
    _l("Realizado por alguien que tenga experiencia sustantiva en protección de la infancia y "
       "gestión de casos"),
    _l("Complementado con reuniones semanales de gestión de casos"),
    _l("El supervisor puede ser distinto al responsable de la estructura jerárquica, como una "
       "agencia o asesor externo, si se implementan medidas de confidencialidad"),
)

ORIENTATION = _l(
    "La orientación es el centro de la supervisión. Es una actitud que pone al trabajador social "
    "como el impulsor de su propio desarrollo. La función del supervisor como orientador es utilizar "
    "prácticas específicas para ayudar al trabajador social a reconocer sus fortalezas y desafíos, "
    "además de ayudarlo a establecer y alcanzar objetivos realistas para cumplir su meta. La "
    "orientación también ayuda al trabajador social a reflexionar en su trabajo o función.")

QUALITY = _l(
    "La función de una supervisión de apoyo coherente y de calidad se relaciona directamente con los "
    "resultados positivos para la infancia.")

PROTECTION_PRACTICE = (
    _l("Los niños, niñas y adolescentes deben ser el centro del proceso de supervisión"),
    _l("Protege a los niños, niñas y adolescentes y las familias de los trabajadores sociales que "
       "tienen una experiencia insuficiente, son negligentes o que traspasan los límites "
       "profesionales"),
    _l("Protege a los trabajadores sociales de cometer errores, del agotamiento o del exceso/baja "
       "participación que los involucre, lo que puede ocasionar daño a los niños, niñas y "
       "adolescentes"),
    _l("Si los procesos están diseñados de tal manera que se motiva y apoya al personal para que se "
       "reflejen en su práctica, es más probable que se fomente una cultura de sinceridad y "
       "transparencia, lo que provoca mejores resultados para la infancia"),
)
