"""Texts of the seed "Módulo 1: Definiciones de la gestión de casos", verbatim."""
from flask_babel import lazy_gettext as _l

MODULE = _l("Módulo 1: Definiciones de la gestión de casos")

DEFINITIONS = (
    (_l("Gestión de casos basada en el trabajo social"), _l(
        "La gestión de casos basada en el trabajo social es un proceso sistemático por el cual un/a "
        "trabajador/a social, con la capacitación y supervisión adecuadas, valora las necesidades de "
        "los y las usuarios/as y, si es oportuno, valora también a las familias de los y las "
        "usuarios/as. A continuación, el o la trabajador/a social prepara y, en ocasiones, "
        "proporciona, coordina, supervisa, evalúa y promueve un paquete de varios servicios que "
        "respondan a las complejas necesidades específicas de cada usuario (NASW Standards for "
        "Social Work Case Management, 2013). Los casos que tratan los y las trabajadores/as sociales "
        "atañen a usuarios de procedencias muy diversas, a menudo vulnerables, y se enmarcan en una "
        "gran variedad de especialidades y situaciones, incluidas la protección de la niñez y la "
        "violencia basada en género en situaciones humanitarias. La estrategia de gestión de casos "
        "puede variar en función de la especialidad, a fin de garantizar la mejor atención posible a "
        "cada población usuaria.")),
    (_l("Gestión de casos de violencia basada en género"), _l(
        "La gestión de casos de violencia basada en género es un método estructurado para prestar "
        "ayuda a una sobreviviente. Implica que una organización, generalmente un actor de apoyo "
        "psicosocial o de servicios sociales, asuma la responsabilidad de asegurarse de que la "
        "sobreviviente esté informada de todas las opciones que tiene a su disposición y que los "
        "asuntos y problemas que enfrenta una sobreviviente y su familia se identifiquen y se les dé "
        "seguimiento de manera coordinada, y se le brinde apoyo emocional durante todo el proceso. "
        "Debido a que la VBG tiene consecuencias físicas, emocionales y sociales perjudiciales que a "
        "menudo requieren información y atención de múltiples proveedores de servicios, la gestión "
        "de casos de trabajo social se ha convertido en una parte integral de la respuesta a la VBG "
        "en los entornos humanitarios. La gestión de casos también se ha convertido en el principal "
        "punto de entrada para que las sobrevivientes reciban apoyo psicosocial a largo plazo y en "
        "situaciones de crisis, dada la falta de proveedores de servicios de salud y apoyo social en "
        "entornos humanitarios (Directrices interagenciales para la gestión de casos de VBG, "
        "2017).")),
    (_l("Gestión de casos de protección de la niñez"), _l(
        "La gestión de casos de protección de la niñez es una forma de organizar y llevar a cabo el "
        "trabajo para abordar las necesidades de un niño o una niña en particular (y de su familia) "
        "de modo adecuado, sistemático y en tiempo y forma, a través del apoyo directo y/o "
        "referencias, y de acuerdo con los objetivos de un proyecto o programa. La gestión de casos "
        "de protección de la niñez debe centrarse en las necesidades de un niño o una niña en "
        "particular y en su familia, asegurarse de que las preocupaciones sean abordadas de modo "
        "sistemático tomando en cuenta el interés superior del niño o niña y desarrollándose a "
        "partir de la resiliencia natural de este. La gestión de casos de protección de la niñez "
        "debe seguir el proceso de gestión de casos establecido, con cada caso atravesando una serie "
        "de pasos que involucran la participación significativa de los niños y las niñas y el "
        "empoderamiento de la familia en todo momento (Directrices interinstitucionales para la "
        "gestión de casos y la protección de la infancia, 2014).")),
)
