"""The roles that sign a paper record, as its signature and attendance block names them."""
from flask_babel import lazy_gettext as _l

SUPERVISOR = _l("Supervisor/a")
SOCIAL_WORKER = _l("Trabajador/a social")
CASE_MANAGER = _l("Gestor(a) de caso")
CONVENER = _l("Convoca")
REGIONAL = _l("Instancia Regional")
OPERATOR = _l("Instancia Operador")
PREPARED_BY = _l("Elaborado por")
APPROVED_BY = _l("Aprobado por")
REVIEWED_BY = _l("Revisado por")
