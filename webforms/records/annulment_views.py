"""Annulling an issued record on the web: the request on the record's page (with its reason), the
requester's withdrawal, and the reviewers' queue where requests are approved or rejected.

The rules are records.annulments'; this module only shows and routes them. The record's page
(records.views) shows the annulment block through :func:`annulment_panel`, a template global,
so that page needs nothing of this module. A request or decision that does not apply any more (a
second click, decided meanwhile) says so and changes nothing; a missing reason is answered 400
with the page and what was typed kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from http import HTTPStatus

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_security import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from webforms.audit import trail as audit
from webforms.common.catalogue import catalogue_for_pages
from webforms.records import annulments, need_to_know
from webforms.records.views import changeable, show_record
from webforms.storage.models import Annulment, Record
from webforms.web.access import for_roles, signed_in

bp = Blueprint("annulments", __name__, template_folder="templates", url_prefix="/registros")
REVIEWERS = (annulments.REVIEWING_ROLE, "coordinador")
APPROVE, REJECT = "approve", "reject"


class RequestForm(FlaskForm):
    reason = TextAreaField(_l("Motivo de la anulación"), validators=[
        DataRequired(message=_l("Escriba el motivo: una anulación sin motivo no se registra.")),
        Length(max=annulments.MAX_TEXT)], description=_l(
        "Qué está mal en el documento emitido y por qué debe anularse. Lo leen quienes pueden "
        "leer este registro."))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decisión"), choices=[SelectChoice(APPROVE, _l("Aprobar")),
                                                  SelectChoice(REJECT, _l("Rechazar"))],
                          validators=[DataRequired(message=_l("Elija aprobar o rechazar."))],
                          invalid_choice_message=_l("Elija aprobar o rechazar."))
    note = TextAreaField(_l("Nota (opcional)"), validators=[
        Optional(), Length(max=annulments.MAX_TEXT)])


@dataclass
class Panel:
    """What the record's page shows of its annulment: a waiting request, the past ones, and what
    the reader may do (the page is open only to the record's readers, who read the reasons)."""

    pending: Annulment | None
    history: list[Annulment]
    may_request: bool
    may_withdraw: bool
    may_decide: bool
    needs_approval: bool
    form: RequestForm = field(default_factory=RequestForm)


def annulment_panel(record: Record, form: RequestForm | None = None) -> Panel:
    pending = annulments.pending_for(record)
    return Panel(pending=pending, history=annulments.history_of(record),
                 may_request=annulments.may_request(current_user, record),
                 may_withdraw=bool(pending) and annulments.may_withdraw(current_user, pending),
                 may_decide=bool(pending) and annulments.may_decide(current_user, pending),
                 needs_approval=annulments.needs_approval(), form=form or RequestForm())


@bp.post("/<int:record_id>/anular")
@signed_in
def request_annulment(record_id: int):
    record = changeable(record_id)
    form = RequestForm()
    if not annulments.may_request(current_user, record):
        flash(_("Este registro no admite una solicitud de anulación ahora: ya hay una pendiente "
                "o no está emitido."), "warning")
        return back_to(record.id)
    if not form.validate_on_submit():
        return show_record(record, HTTPStatus.BAD_REQUEST, annul_form=form)
    annulment = annulments.request(record, form.reason.data.strip(), current_user)
    if annulment.state == annulments.APPROVED:
        flash(_("El número %(number)s quedó anulado.", number=record.number), "info")
    else:
        flash(_("Solicitud de anulación enviada. El número sigue válido hasta que se apruebe."),
              "info")
    return back_to(record.id)


@bp.post("/anulaciones/<int:annulment_id>/retirar")
@signed_in
def withdraw(annulment_id: int):
    annulment = annulments.by_id(annulment_id) or abort(HTTPStatus.NOT_FOUND)
    changeable(annulment.record_id)  # 404 (audited) unless the user still changes the record
    if not annulments.may_withdraw(current_user, annulment):
        flash(_("Esta solicitud ya no está pendiente o no es suya."), "warning")
        return back_to(annulment.record_id)
    annulments.withdraw(annulment, current_user)
    flash(_("Solicitud de anulación retirada. El número sigue válido."), "info")
    return back_to(annulment.record_id)


@bp.get("/anulaciones")
@for_roles(*REVIEWERS)
def queue():
    return show_queue()


@bp.post("/anulaciones/<int:annulment_id>/decidir")
@for_roles(*REVIEWERS)
def decide(annulment_id: int):
    annulment = annulments.by_id(annulment_id)
    if annulment is None or not annulments.reviews(current_user, annulment):
        abort(HTTPStatus.NOT_FOUND)
    form = DecisionForm(prefix=f"a{annulment_id}")
    if not annulments.may_decide(current_user, annulment):
        flash(_("Esta solicitud ya se decidió o se retiró, o es suya: no puede decidirla."),
              "warning")
        return redirect(url_for(".queue"), code=HTTPStatus.SEE_OTHER)
    if not form.validate_on_submit():
        return show_queue({annulment.id: form}, HTTPStatus.BAD_REQUEST)
    approve = form.decision.data == APPROVE
    annulments.decide(annulment, approve, (form.note.data or "").strip(), current_user)
    flash(_("Anulación aprobada: el número %(number)s quedó anulado.", number=annulment.number)
          if approve else _("Anulación rechazada: el número %(number)s sigue válido.",
                            number=annulment.number), "info")
    return redirect(url_for(".queue"), code=HTTPStatus.SEE_OTHER)


def show_queue(forms: dict[int, DecisionForm] | None = None, status: int = HTTPStatus.OK):
    """The requests waiting for this reviewer, each with its decision form (``forms`` holds the
    ones shown again with their errors)."""
    forms = forms or {}
    waiting = annulments.queue(current_user)
    rows = [(annulment, annulments.may_read_text(current_user, annulment),
             need_to_know.may_read(current_user, annulment.record),
             forms.get(annulment.id) or DecisionForm(prefix=f"a{annulment.id}", formdata=None))
            for annulment in waiting]
    audit.append("annulments_viewed", count=len(rows))
    return render_template("records/annulments.html", rows=rows,
                           documents=catalogue_for_pages()), status


def back_to(record_id: int):
    return redirect(url_for("records.record_page", record_id=record_id),
                    code=HTTPStatus.SEE_OTHER)


def init_app(app) -> None:
    app.jinja_env.globals["annulment_panel"] = annulment_panel
