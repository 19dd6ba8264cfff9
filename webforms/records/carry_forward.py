"""Carry-forward: a new record takes what continues from the team's last one of its kind, without
anyone uploading a file: the previous meeting's actions (Registro), the previous session's
learning goals and open agreements with the same worker (Supervisión Individual), the open
agreements of the last mesa interna of the same modality (Mesa interna), the last conference's
action plan (Conferencia ampliada). What is taken, and how, is each form's ``load_previous``; this module
finds the record and opens it.

Why here and not in the page: finding "the last one" must not open records. The search runs on
what stays readable beside the sealed content (team, form, status, the meeting's date, the keyed
digest of the worker a supervision follows, or of the modality a mesa interna is about); only the
one record found is unsealed, and that reading is audited like any other. (Records issued before
their form named its subject get their digest once, computed without showing anything:
records.saved.fill_missing_digests.) Only issued records are offered: a draft may be abandoned or
half typed, while an issued record is what the team signed off. A record in the trash, deleted or
purged never comes back, and a record the user may not change (another team's, or a form
their roles do not fill: records.need_to_know) is never looked at.
The upload of an earlier .docx stays for documents made on another installation.

Actions are the tracker's (webforms.actions, asked through records.events.carrying): a new
Registro or Conferencia ampliada takes *every* action of the team still open on its date, not
only the last record's, in the order of the meetings that agreed them; a Mesa interna or a
Supervisión takes them into its follow-up group once the form has one. The date is the page's
(a back-filled record dated 3 Dec takes what was open on 3 Dec), today on a new, empty page.
"""
from __future__ import annotations

import datetime as dt

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from webforms.audit import trail as audit
from webforms.common import dates
from webforms.documents.contexts import CONTEXTS
from webforms.forms.carried import AUTOMATIC, ON_REQUEST, carry_rows
from webforms.records import events, need_to_know
from webforms.records import saved as saved_records
from webforms.storage.database import db
from webforms.storage.models import Record

__all__ = ["AUTOMATIC", "LOAD_LAST", "ON_REQUEST", "load_last", "mode", "prefill",
           "previous_record", "previous_values"]

# The page's button that loads the last record on request (``row_action``).
LOAD_LAST = "load:last"
# The follow-up group of agreements (Mesa interna, Supervisión), named as such in messages.
AGREEMENTS_FOLLOWED = "previous_agreements"


def mode(form) -> str | None:
    """How ``form`` takes rows from the last record: AUTOMATIC, ON_REQUEST, or None (never)."""
    return getattr(form, "carry_forward", None)


def previous_record(user, document_key: str, team_ids=None, subject: str | None = None,
                    before_id: int | None = None) -> Record | None:
    """The latest issued record of ``document_key`` in ``team_ids`` (None: every team ``user``
    may change records of; never a record ``user`` may not change, see records.need_to_know),
    the latest by the date it is about, then by issue time. A document that follows a person
    (``subject_field``, the worker of a supervision) needs ``subject``, the digest of that person
    (saved_records.subject_digest). ``before_id`` is the record being edited, never its own
    previous one. Opens nothing."""
    view = CONTEXTS.get(document_key)
    if (team_ids is not None and not team_ids) or view is None or (
            view.subject_field and subject is None):
        return None
    query = db.select(Record).where(
        need_to_know.changeable_by(user), Record.document_key == document_key,
        Record.status == saved_records.ISSUED, Record.sealed.is_not(None))
    if team_ids is not None:
        query = query.where(Record.team_id.in_(sorted(team_ids)))
    if subject is not None:
        query = query.where(Record.subject_digest == subject)
    if before_id is not None:
        query = query.where(Record.id != before_id)
    query = query.order_by(Record.record_date.desc().nulls_last(), Record.issued_at.desc(),
                           Record.id.desc()).limit(1)
    return db.session.scalars(query).first()


def previous_values(record: Record) -> dict:
    """``record``'s values as a document embeds them (``{"document", "number", "data"}``, what
    a form's ``load_previous`` takes). Unseals this one record and audits the reading; raises
    saved_records.RecordUnavailable when its content is gone."""
    form = saved_records.form_of(record)
    audit.append("record_viewed", target=record.id, document=record.document_key,
                 number=record.number, purpose="carry_forward")
    return {"document": record.document_key, "number": record.number,
            "data": CONTEXTS[record.document_key].embedded_data(form)}


def load_into(form, record: Record) -> str | None:
    """Fill ``form`` from ``record``; the message for the user names where the rows came from."""
    message = form.load_previous(previous_values(record))
    if message is None:
        return None
    day = record.record_date or (record.issued_at.date() if record.issued_at else None)
    return _("%(loaded)s Documento de origen: N.º %(number)s del %(date)s (%(team)s).",
             loaded=message, number=record.number, team=record.team.name,
             date=format_date(day, "long") if day else "")


def prefill(user, form) -> str | None:
    """A new, empty form of a document that carries forward by itself, filled with the actions
    open today (the tracker's) or else from the last issued record of the user's teams; the
    notice to show, or None when nothing was loaded."""
    team = saved_records.team_for_saving(user, None)
    tracked = load_tracked(form, team, dates.local_today(), new_page=True) if team else None
    if mode(form) != AUTOMATIC or tracked is not None:
        return tracked
    record = previous_record(user, form.document_key)
    if record is None:
        return None
    try:
        return load_into(form, record)
    except saved_records.RecordUnavailable:
        return None


def load_last(user, form, record: Record | None = None, requested_team=None) -> tuple[bool, str]:
    """The page's "load the previous one" button: fill ``form`` from the last issued record of
    the team the page saves to (``record``'s, or the one chosen on the page) about the person
    typed on it. Returns whether something was loaded, and the message to show."""
    team = record.team if record is not None else saved_records.team_for_saving(
        user, requested_team)
    subject_field = CONTEXTS[form.document_key].subject_field
    subject = saved_records.subject_digest(form.document_key, form)
    if subject_field and subject is None:
        return False, subject_missing(form, subject_field)
    if subject_field and team is not None:
        saved_records.fill_missing_digests(team, form.document_key)
    day = saved_records.safe_record_date(form.document_key, form) or dates.local_today()
    tracked = load_tracked(form, team, day, subject) if team else None
    if mode(form) == AUTOMATIC and tracked is not None:
        return True, tracked
    loaded, message = load_last_record(user, form, record, team, subject)
    if not loaded:  # nothing issued before: no action of it can be open either
        return False, message
    return True, " ".join(filter(None, (message, tracked)))


def load_last_record(user, form, record: Record | None, team, subject: str | None
                     ) -> tuple[bool, str]:
    """Fill ``form`` from the last issued record of ``team`` (about ``subject``)."""
    previous = previous_record(user, form.document_key, {team.id} if team else set(),
                               subject, before_id=record.id if record is not None else None)
    if previous is None:
        return False, not_found(form, CONTEXTS[form.document_key].subject_field)
    try:
        return True, load_into(form, previous) or ""
    except saved_records.RecordUnavailable:
        return False, _("El documento anterior (N.º %(number)s) ya no se puede abrir: su "
                        "contenido fue depurado.", number=previous.number)


def subject_missing(form, subject_field: str) -> str:
    """Why nothing is searched yet: the form's own words (the Mesa interna's modality), or the
    person's field to type."""
    message = getattr(form, "carry_forward_subject_missing", None)
    if message:
        return str(message)
    return _("Escriba primero «%(field)s»: se busca el documento anterior sobre esa persona.",
             field=form[subject_field].label.text)


def tracked_rows(form, team_id: int, day: dt.date, subject: str | None = None):
    """The follow-up rows the action tracker gives a new record of ``form``'s kind dated
    ``day``: (row group, text field, rows), or None when it follows no action of that form."""
    for _receiver, answer in events.carrying.send(form, team_id=team_id, day=day,
                                                  subject=subject):
        if answer is not None:
            return answer
    return None


def load_tracked(form, team, day: dt.date, subject: str | None = None, new_page: bool = False
                 ) -> str | None:
    """Fill ``form``'s follow-up group with the team's actions open on ``day``; the notice to
    show, or None when the tracker follows no action of that form. On a page already filled
    (not a ``new_page``), the rows nobody has followed up yet (no status, no note: carried for
    another date) make way."""
    answer = tracked_rows(form, team.id, day, subject)
    if answer is None:
        return None
    group, text_field, rows = answer
    if not new_page:
        kept = {text_field, "responsible", "deadline"}
        form[group].entries = [entry for entry in form[group].entries if any(
            value for name, value in entry.data.items() if name not in kept)]
    added = carry_rows(form[group], rows, text_field)
    date = format_date(day, "long")
    if group == AGREEMENTS_FOLLOWED:
        return ngettext("Se cargó %(num)d acuerdo abierto el %(date)s.",
                        "Se cargaron %(num)d acuerdos abiertos el %(date)s.", added, date=date)
    if not rows:
        return _("Ninguna acción abierta el %(date)s.", date=date)
    return ngettext("Se cargó %(num)d acción abierta el %(date)s.",
                    "Se cargaron %(num)d acciones abiertas el %(date)s.", added, date=date)


def not_found(form, subject_field: str | None) -> str:
    if subject_field:
        return _("Su equipo no ha emitido ningún documento anterior de este formulario sobre "
                 "«%(name)s».", name=shown_value(form[subject_field]))
    return _("Su equipo no ha emitido ningún documento anterior de este formulario.")


def shown_value(field) -> str:
    """What the page shows for ``field``: a choice's label (a modality), else the text typed."""
    labels = {choice.value: choice.label for choice in getattr(field, "choices", None) or ()}
    return str(labels.get(field.data, field.data))
