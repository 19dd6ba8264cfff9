"""What the Registro de Supervisión Individual shows: the three functions of supervision with the
topics covered and notes of each, whether the session kept them in balance, and its duration;
from template version 3, each learning goal's status and the follow-up of earlier agreements."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webforms.content.supervision import BALANCE, FUNCTIONS
from webforms.documents.contexts import signers
from webforms.documents.contexts.base import DocumentContext, document_context, format_duration
from webforms.documents.contexts.blank import NUMBER
from webforms.documents.contexts.follow_up import with_defaults, without_defaults
from webforms.forms.supervision import FUNCTION_FIELDS, NOT_STARTED

# Added with template version 3: an empty follow-up, and a goal's status "not started".
FOLLOW_UP_DEFAULTS = {"previous_agreements": [], "learning_goals.status": NOT_STARTED}
_FORMER_FUNCTION_KEYS = (("gestion", "management"), ("desarrollo", "development"),
                         ("apoyo", "support"))


@document_context("supervision_individual")
class SupervisionIndividualContext(DocumentContext):
    shown_through = {name: "functions" for pair in FUNCTION_FIELDS for name in pair} | {
        "duration_minutes": "duration"}
    date_field = "session_date"
    signers = ((signers.SUPERVISOR, "supervisor_name"), (signers.SOCIAL_WORKER, "worker_name"))
    subject_field = "worker_name"
    former_names = {f"{kind}_{old}": f"{kind}_{new}" for old, new in _FORMER_FUNCTION_KEYS
                    for kind in ("covered", "notes")}

    def embedded_data(self, form) -> dict:
        """The form's values, leaving out what a record issued before goals had a status and
        agreements a follow-up could not hold (see follow_up.without_defaults)."""
        return without_defaults(super().embedded_data(form), FOLLOW_UP_DEFAULTS)

    def restore(self, data: dict) -> dict:
        return with_defaults(super().restore(data), FOLLOW_UP_DEFAULTS)

    def extra(self, form, values: dict, locale: str) -> dict:
        functions = [
            {"name": name, "purpose": purpose, "covered": is_covered,
             "entries": [{"text": item, "ticked": str(index) in (form[covered].data or ())}
                         for index, item in enumerate(items)],
             "notes": form[notes].data or ""}
            for (_, name, purpose, items), (covered, notes), is_covered
            in zip(FUNCTIONS, FUNCTION_FIELDS, form.covered_functions())]
        return {"functions": functions, "balance": _balance(functions),
                "duration": format_duration(form.duration_minutes.data)}

    def blank_extra(self, form, values: dict, locale: str) -> dict:
        functions = [
            {"name": name, "purpose": purpose, "covered": False,
             "entries": [{"text": item, "ticked": False} for item in items],
             "notes": values[notes]}
            for (_, name, purpose, items), (_, notes) in zip(FUNCTIONS, FUNCTION_FIELDS)]
        return {"functions": functions, "duration": f"{NUMBER} min",
                "balance": _l("Funciones cubiertas: %(count)s de 3. %(rule)s", count=NUMBER,
                              rule=BALANCE)}


def _balance(functions: list[dict]):
    missing = [function["name"] for function in functions if not function["covered"]]
    if missing:
        return _l("Funciones cubiertas: %(count)d de 3. Faltó: %(missing)s. %(rule)s",
                  count=3 - len(missing), missing=", ".join(str(m) for m in missing),
                  rule=BALANCE)
    return _l("Funciones cubiertas: 3 de 3. La sesión cubrió en equilibrio las tres funciones de "
              "la supervisión.")
