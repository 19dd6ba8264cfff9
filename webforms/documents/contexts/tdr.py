"""What the Términos de Referencia show: the opening paragraph for the agency type, whom the post
reports to, its term, the chosen competencies of Tabla 1 and the role of Tabla 5."""
from __future__ import annotations

import unicodedata

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from webforms.content.g34p import COMPETENCIES, MODALITY_ROLES, MODALITY_SOURCE
from webforms.content.tdr import INTRODUCTION, OPENING, REPORTS_TO_MODEL, REQUIREMENTS, RESPONSIBILITIES
from webforms.documents.contexts import former, signers
from webforms.documents.contexts.base import DocumentContext, document_context
from webforms.documents.contexts.blank import BOX, DATE, ruled
from webforms.forms.tdr import AGENCY_TYPES, OTHER


def plain_name(name: str) -> str:
    """``  María  JOSÉ `` → ``maria jose``: a name as two spellings of it compare."""
    letters = unicodedata.normalize("NFKD", name)
    return " ".join("".join(char for char in letters if not unicodedata.combining(char))
                    .casefold().split())


COMPETENCY_FIELDS = ("competencies_personal", "competencies_social",
                     "competencies_methodological", "competencies_technical")


@document_context("tdr_gestor_casos")
class TdrGestorCasosContext(DocumentContext):
    shown_through = {name: "competencies" for name in COMPETENCY_FIELDS} | {
        "reports_to": "reports_to_text", "reports_to_other": "reports_to_text",
        "end_date": "term", "duration": "term"}
    date_field = "start_date"
    signers = ((signers.PREPARED_BY, None), (signers.APPROVED_BY, None))
    former_names = {f"competencies_{old}": new for old, new in zip(
        ("personales", "sociales", "metodologicas", "tecnicas"), COMPETENCY_FIELDS)}
    former_values = {
        "agency_type": {"acnur": "unhcr", "socia": "partner"},
        "reports_to": {"supervisor_dis": "dis_supervisor", "coordinador_dis": "dis_coordinator",
                       "oficial_revision_dis": "dis_review_officer",
                       "supervisor_caso": "case_supervisor", "otro": OTHER},
        "modality": former.MODALITIES | {"ninguna": "none"},
    }

    def file_label(self, form) -> str:
        return form.case_manager_name.data or str(_l("Vacante"))

    def subject(self, form) -> str | None:
        """The person a ToR is for, as a batch tells who already has one (batch.service): the
        name without case, accents or extra spaces, and the start date (the form asks no
        identity document). None for a vacancy notice."""
        name = plain_name(form.case_manager_name.data or "")
        start = form.start_date.data
        return f"{name} {start.isoformat()}" if name and start else None

    def extra(self, form, values: dict, locale: str) -> dict:
        reports_to = (form.reports_to_other.data if form.reports_to.data == OTHER
                      else values["reports_to"])
        lists = {"responsibilities": in_document_language(values["responsibilities"]),
                 "requirements": in_document_language(values["requirements"])}
        term = ", ".join(str(part) for part in (form.duration.data, values["end_date"] and _l(
            "hasta el %(date)s", date=values["end_date"])) if part)
        return lists | {
            "introduction": INTRODUCTION.get(form.agency_type.data, ""),
            "opening": OPENING,
            "reports_to_model": "",
            "reports_to_text": reports_to,
            "term": term,
            "competencies": [group for group in _competency_groups(values) if group["entries"]],
            "modality_role": _modality_role(form.modality.data),
            "modality_source": MODALITY_SOURCE,
        }

    def blank_extra(self, form, values: dict, locale: str) -> dict:
        """On paper: both opening paragraphs to choose from, every competency with a box."""
        openings = [f"{BOX} {label}: {INTRODUCTION[key]}" for key, label in AGENCY_TYPES]
        return {
            # The model ToR's own responsibilities and requirements, printed to be read.
            "responsibilities": [{"text": text} for text in RESPONSIBILITIES],
            "requirements": [{"text": text} for text in REQUIREMENTS],
            "introduction": "\n".join(openings),
            "opening": OPENING,
            "reports_to_model": REPORTS_TO_MODEL,
            "reports_to_text": f"{values['reports_to']}: {ruled()}",
            "term": _l("%(duration)s o hasta el %(date)s", duration=ruled(16), date=DATE),
            "competencies": _competency_groups(values),
            "modality_role": None,
            "modality_source": MODALITY_SOURCE,
        }


def _competency_groups(values: dict) -> list[dict]:
    return [{"group": group, "entries": values[field_name]}
            for (_, group, _), field_name in zip(COMPETENCIES, COMPETENCY_FIELDS)]


def _modality_role(key: str) -> dict | None:
    for modality, group, introduction, aspects in MODALITY_ROLES:
        if modality == key:
            return {"group": group, "introduction": introduction or "", "aspects": list(aspects)}
    return None


def in_document_language(rows: list[dict]) -> list[dict]:
    """The model's own sentences in the document's language, whatever language the page showed
    them in (the pre-filled rows follow the interface); sentences someone wrote stay as written."""
    known = _model_sentences()
    return [row | {"text": known.get(str(row.get("text", "")).strip(), row.get("text", ""))}
            for row in rows]


def _model_sentences() -> dict:
    """Every translation of the model ToR's sentences -> the sentence, translated when shown."""
    languages = current_app.config["LANGUAGES"]
    key = tuple(languages)
    if key not in _MODEL_SENTENCES:
        known = {}
        for sentence in (*RESPONSIBILITIES, *REQUIREMENTS):
            for language in languages:
                with force_locale(language):
                    known[str(sentence).strip()] = sentence
        _MODEL_SENTENCES[key] = known
    return _MODEL_SENTENCES[key]


_MODEL_SENTENCES: dict[tuple, dict] = {}
