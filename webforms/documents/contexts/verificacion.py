"""What the Lista de verificación por hito shows: each moment reviewed with the mark and
observation of every criterion and the counts, the MAC techniques used and the management actions.
On paper, every moment is printed with three boxes per criterion."""
from __future__ import annotations

from webforms.content.quality import quality_criteria
from webforms.documents.contexts import former, signers
from webforms.documents.contexts.base import DocumentContext, document_context
from webforms.documents.contexts.blank import BOX, NUMBER, boxes, ruled
from webforms.forms.verificacion import MARKS, criterion_label

_FORMER_MOMENT_KEYS = {
    "evaluacion_integradora": "integrated_assessment", "diseno_plan_caso": "case_plan_design",
    "implementacion_plan_caso": "case_plan_implementation", "reunificacion": "reunification",
    "reintegracion_cierre": "reintegration_closure"}
_FORMER_MARKS = {"cumple": "met", "no_cumple": "not_met", "no_aplica": "not_applicable"}


@document_context("verificacion_hitos")
class VerificacionHitosContext(DocumentContext):
    date_field = "review_date"
    signers = ((signers.CASE_MANAGER, "case_manager"), (signers.REVIEWED_BY, None))
    former_names = {f"criteria_{old}": f"criteria_{new}"
                    for old, new in _FORMER_MOMENT_KEYS.items()}

    @property
    def shown_through(self):
        return {f"criteria_{m.key}": "reviewed.criteria" for m in quality_criteria().moments} | {
            "moments": "reviewed", "techniques": "techniques_used",
            "management_actions": "management"}

    @property
    def former_values(self):
        return {"modality": former.MODALITIES} | {
            f"criteria_{m.key}.mark": _FORMER_MARKS for m in quality_criteria().moments}

    def extra(self, form, values: dict, locale: str) -> dict:
        chosen_techniques = set(form.techniques.data or ())
        techniques = [{"name": t.name, "actions": list(t.actions)}
                      for index, t in enumerate(quality_criteria().techniques)
                      if str(index) in chosen_techniques]
        return {"reviewed": [_reviewed(form, moment) for moment in form.chosen_moments()],
                "techniques_used": techniques, "management": values["management_actions"],
                "source": quality_criteria().source}

    def blank_extra(self, form, values: dict, locale: str) -> dict:
        marks = "   ".join(boxes(label for _, label in MARKS))
        reviewed = [_moment_texts(m) | {
            "criteria": [{"text": criterion_label(c), "mark": marks, "observation": ruled(20)}
                         for c in m.criteria],
            "met": NUMBER, "not_met": NUMBER, "not_applicable": NUMBER, "applicable": NUMBER}
            for m in quality_criteria().moments]
        techniques = [{"name": f"{BOX} {t.name}", "actions": list(t.actions)}
                      for t in quality_criteria().techniques]
        return {"reviewed": reviewed, "techniques_used": techniques,
                "management": values["management_actions"], "source": quality_criteria().source}


def _moment_texts(moment) -> dict:
    return {"milestone": moment.milestone, "moment": moment.moment, "intro": moment.intro,
            "note": moment.note}


def _reviewed(form, moment) -> dict:
    """One moment as reviewed: each criterion with its mark and observation, and the counts."""
    labels = dict(MARKS)
    entries = [entry.form for entry in form[f"criteria_{moment.key}"].entries]
    # A lead-in line is not rated; a copy issued while it still was counts its mark, so that copy
    # renders again byte for byte (tests/golden).
    marks = [entry.mark.data for criterion, entry in zip(moment.criteria, entries)
             if not criterion.lead_in or entry.mark.data]
    return _moment_texts(moment) | {
        "criteria": [{"text": criterion_label(criterion), "mark": labels.get(entry.mark.data, ""),
                      "observation": entry.observation.data or ""}
                     for criterion, entry in zip(moment.criteria, entries)],
        "met": marks.count("met"), "not_met": marks.count("not_met"),
        "not_applicable": marks.count("not_applicable"),
        "applicable": len(marks) - marks.count("not_applicable"),
    }
