"""The action tracker: an action agreed in a Registro comes back in every next one until a
follow-up (or its owner, on the Acciones page) closes it; a back-filled meeting follows up what
was open at its date; a revision replaces what its earlier revision said and an annulment takes
it back; the Acciones page shows the text only to who may read the record, and its updates are
audited without it; the dashboard counts what the tracker says."""
from __future__ import annotations

import datetime as dt
from html import unescape

from tests.factories import (
    action_id_of,
    actions_of,
    add_to_roster,
    aged,
    issue_meeting,
    new_account,
    post_conference,
    purge,
    roster_url,
    rotated_to,
)
from tests.helpers import (
    REGISTRO_URL,
    TODAY,
    annul,
    audit_entries,
    has_textarea_text,
    issue_through_page,
    page_defaults,
    page_text,
)
from webforms.actions import tracker
from webforms.actions.families import MEETINGS
from webforms.dashboard import service as dashboard
from webforms.storage.database import db
from webforms.storage.models import RosterWorker, Team, User

D = dt.date
CUPO, PLANES, VISITA = ("Gestionar cupo con el operador.", "Actualizar planes de caso.",
                        "Visitar el hogar sustituto.")


def norte(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Team.id).where(Team.name == "Equipo Norte"))


def new_registro_page(client, **posted) -> str:
    """A new Registro's page: as it opens (GET), or loaded at the date posted (the button)."""
    if not posted:
        return unescape(client.get(REGISTRO_URL).get_data(as_text=True))
    response = client.post(REGISTRO_URL, data={"row_action": "load:last", **posted})
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def overdue_on_dashboard(app, today: D = TODAY) -> int:
    with app.app_context():
        board = dashboard.build(db.session.get(Team, norte(app)),
                                db.session.scalar(db.select(User).where(
                                    User.email == "equipo@example.org")), today=today)
        return sum(counts["overdue"] for counts in board.actions_summary().values())


# --- carried until closed -------------------------------------------------------------------------
def test_an_action_in_progress_comes_back_in_the_next_meeting_and_is_closed_there(
        app, client, fixed_today):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13"),
                                                  ("worker", PLANES, "2026-11-12")])
    issue_meeting(client, D(2026, 11, 13), followed=[(CUPO, "in_progress"), (PLANES, "done")])
    page = new_registro_page(client)
    assert has_textarea_text(page, CUPO) and not has_textarea_text(page, PLANES)
    assert "Se cargó 1 acción abierta el 2 de diciembre de 2026." in page
    issue_meeting(client, D(2026, 11, 20), followed=[(CUPO, "done")])
    assert not has_textarea_text(new_registro_page(client), CUPO)
    (cupo,) = [action for action in actions_of(app) if action["text"] == CUPO]
    assert cupo["status"] == "done" and cupo["closed_on"] == D(2026, 11, 20)
    assert cupo["events"] == [("in_progress", D(2026, 11, 13)), ("done", D(2026, 11, 20))]
    assert len(actions_of(app)) == 2  # followed up, never agreed again


def test_a_back_filled_meeting_follows_up_the_actions_open_at_its_date(app, client, fixed_today):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-30")])
    issue_meeting(client, D(2026, 11, 20), followed=[(CUPO, "done")])
    assert not has_textarea_text(new_registro_page(client), CUPO)  # closed today
    back_then = new_registro_page(client, meeting_date="2026-11-13")
    assert has_textarea_text(back_then, CUPO)
    assert "Se cargó 1 acción abierta el 13 de noviembre de 2026." in back_then
    issue_meeting(client, D(2026, 11, 13), followed=[(CUPO, "in_progress")],
                  agreed=[("worker", VISITA, "2026-11-18")])
    with app.app_context():
        cupo_id = action_id_of(CUPO)
        assert tracker.status_on(cupo_id, D(2026, 11, 14)) == "in_progress"
        assert tracker.status_on(cupo_id, D(2026, 11, 21)) == "done"  # the later follow-up
        open_then = tracker.open_at(norte(app), MEETINGS, D(2026, 11, 14))
        assert [action.text for action in open_then] == [CUPO, VISITA]  # by meeting date
    today = new_registro_page(client)
    assert has_textarea_text(today, VISITA) and not has_textarea_text(today, CUPO)


def test_an_action_agreed_again_while_open_is_the_same_action(app, client):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", "Gestionar  cupo", None)])
    issue_meeting(client, D(2026, 11, 13), followed=[("gestionar cupo", "in_progress")],
                  agreed=[("supervisor", "gestionar cupo", "2026-11-30")])
    issue_meeting(client, D(2026, 11, 20), followed=[("GESTIONAR CUPO", "done")])
    (only,) = actions_of(app)
    assert only["deadline"] == D(2026, 11, 30) and only["status"] == "done"
    assert only["agreed_on"] == D(2026, 11, 6)


def test_a_follow_up_about_no_action_is_one_of_its_own_and_cancelled_closes(app, client):
    issue_meeting(client, D(2026, 11, 13), followed=[("Acción añadida a mano.", "cancelled")])
    (own,) = actions_of(app)
    assert own["role"] == "unclassified" and own["status"] == "cancelled"
    assert own["agreed_on"] == D(2026, 11, 13)


# --- the Acciones page and the dashboard ---------------------------------------------------------
def test_an_overdue_action_closed_on_the_page_leaves_the_dashboards_overdue_count(
        app, client, fixed_today):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13")])
    team = norte(app)
    assert overdue_on_dashboard(app) == 1
    page = page_text(client.get(f"/acciones/{team}"))
    assert "1 acción abierta · 1 vencida" in page and CUPO in page
    with app.app_context():
        action_id = action_id_of(CUPO)
    refused = client.post(f"/acciones/{team}/{action_id}", data={"status": "open"})
    assert refused.status_code == 400 and overdue_on_dashboard(app) == 1
    done = client.post(f"/acciones/{team}/{action_id}",
                       data={"status": "done", "note": "Cupo asignado por el operador."})
    assert done.status_code == 303
    assert overdue_on_dashboard(app) == 0
    assert CUPO not in page_text(client.get(f"/acciones/{team}"))
    (entry,) = audit_entries(app, "action_updated")
    assert entry.target == str(action_id) and entry.details["status"] == "done"
    assert entry.details["with_note"] is True
    assert CUPO not in str(entry.details) and "Cupo asignado" not in str(entry.details)
    (closed,) = actions_of(app)
    assert closed["status"] == "done" and closed["closed_on"] == TODAY
    assert closed["notes"] == ["Cupo asignado por el operador."]


def test_the_text_is_shown_only_to_who_may_read_the_record(app, client, fixed_today):
    post_conference(client, conference_date="2026-11-20")
    team = norte(app)
    supervisor = new_account(app, "solo.supervisor@example.org", ("supervisor",), "Equipo Norte")
    coordinator_page = page_text(client.get(f"/acciones/{team}"))
    assert "Mesa con la EPS para priorizar citas." in coordinator_page
    page = page_text(supervisor.get(f"/acciones/{team}"))
    assert "3 acciones abiertas" in page and "Conferencia ampliada" in page
    assert "Mesa con la EPS" not in page and "Enlace de Salud" not in page
    assert "Su rol no lee este registro" in page
    with app.app_context():
        action_id = action_id_of("Mesa con la EPS para priorizar citas.")
    assert supervisor.post(f"/acciones/{team}/{action_id}",
                           data={"status": "done"}).status_code == 403
    other = new_account(app, "sur@example.org", ("supervisor",), "Equipo Sur")
    assert other.get(f"/acciones/{team}").status_code == 404
    assert other.post(f"/acciones/{team}/{action_id}", data={"status": "done"}).status_code == 404


def test_filters_by_responsible_and_origin(app, client, fixed_today):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13"),
                                                  ("worker", PLANES, "2026-12-20")])
    team = norte(app)
    page = page_text(client.get(f"/acciones/{team}?responsable=workers"))
    assert PLANES in page and CUPO not in page
    page = page_text(client.get(f"/acciones/{team}?origen=conferences"))
    assert PLANES not in page and CUPO not in page
    page = page_text(client.get(f"/acciones/{team}?origen=nada"))  # not offered: every origin
    assert page.index(CUPO) < page.index(PLANES)  # the overdue first


def test_an_action_whose_responsible_is_on_the_roster_is_filtered_by_that_person(
        app, client, fixed_today):
    assert add_to_roster(client, roster_url(app, "Equipo Norte"), "Marta  GÓMEZ").status_code == 302
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13"),
                                                  ("worker", PLANES, "2026-12-20")],
                  **{"worker_actions-0-responsible": "Luis Ortega"})
    with app.app_context():
        marta = db.session.scalar(db.select(RosterWorker.id))
    assert {action["text"]: action["person"] for action in actions_of(app)} == {
        CUPO: marta, PLANES: None}  # the name matched whatever its spacing and case
    page = client.get(f"/acciones/{norte(app)}?persona={marta}")
    assert f'<option value="{marta}" selected>Marta GÓMEZ</option>' in unescape(
        page.get_data(as_text=True))
    assert CUPO in page_text(page) and PLANES not in page_text(page)
    assert PLANES in page_text(client.get(f"/acciones/{norte(app)}?persona=999"))  # not offered


def test_barriers_named_in_several_conferences_are_shown_together(app, client, fixed_today):
    post_conference(client, conference_date="2026-08-20", next_conference_date="2026-11-10")
    # The second opens with the three commitments still open: the last one, carried, is followed.
    post_conference(client, conference_date="2026-11-20", **{"commitments-2-status": "in_progress"})
    page = page_text(client.get(f"/acciones/{norte(app)}"))
    assert "Demora en citas de salud mental. · en 2 conferencias:" in page


def test_a_mesa_internas_agreements_are_actions_of_their_own_origin(app, client, fixed_today):
    data = page_defaults(client, "/formularios/mesa_interna")  # no follow-up group yet: skipped
    for key, value in {"meeting_date": "2026-11-05", "modality": "residential_care",
                       "case_managers-0-text": "Jorge Pinto", "difficulties": "Rotación.",
                       "agreements-0-action": "Compartir protocolo de acogida.",
                       "agreements-0-responsible": "Jorge Pinto",
                       "agreements-0-deadline": "2026-11-30"}.items():
        data[key] = value
    assert issue_through_page(client, "/formularios/mesa_interna", data=data).status_code == 200
    (agreed,) = actions_of(app)
    assert agreed["role"] == "table" and agreed["status"] == "open"
    page = page_text(client.get(f"/acciones/{norte(app)}?origen=tables"))
    assert "Compartir protocolo de acogida." in page and "1 acción abierta · 1 vencida" in page


# --- revisions and annulments --------------------------------------------------------------------
def test_a_revision_replaces_the_actions_of_the_earlier_revision(app, client):
    record_id = issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13"),
                                                              ("worker", PLANES, "2026-11-12")])
    issue_meeting(client, D(2026, 11, 13), followed=[(CUPO, "in_progress")])
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-16"),
                                                  ("worker", VISITA, "2026-11-12")],
                  record=str(record_id), revision_reason="Una acción estaba mal escrita.")
    actions = {action["text"]: action for action in actions_of(app)}
    assert set(actions) == {CUPO, VISITA}
    assert actions[CUPO]["deadline"] == D(2026, 11, 16)
    assert actions[CUPO]["events"] == [("in_progress", D(2026, 11, 13))]  # kept: a later record's


def test_an_annulled_record_takes_its_actions_and_follow_ups_back(app, client):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13")])
    second = issue_meeting(client, D(2026, 11, 13), followed=[(CUPO, "done")],
                           agreed=[("worker", PLANES, "2026-11-20")])
    assert {action["text"]: action["status"] for action in actions_of(app)} == {
        CUPO: "done", PLANES: "open"}
    annul(app, client, second)
    (left,) = actions_of(app)
    assert left["text"] == CUPO and left["status"] == "open" and left["events"] == []


# --- the command line ----------------------------------------------------------------------------
def test_rebuild_makes_the_same_tracker_from_the_issued_records(app, client):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13")])
    issue_meeting(client, D(2026, 11, 13), followed=[(CUPO, "in_progress")],
                  agreed=[("worker", PLANES, "2026-11-20")])
    before = sorted((a["text"], a["status"], a["events"]) for a in actions_of(app))
    result = app.test_cli_runner().invoke(args=["actions", "rebuild"])
    assert result.exit_code == 0 and "2 registros emitidos" in result.output
    assert sorted((a["text"], a["status"], a["events"]) for a in actions_of(app)) == before


# --- retention and the data key ------------------------------------------------------------------
def test_the_texts_go_with_the_purged_record(app, client):
    old = issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13")])
    issue_meeting(client, D(2026, 11, 13), agreed=[("worker", PLANES, "2026-11-20")])
    aged(app, old, days=app.config["RETENTION_DAYS"] + 1)
    purge(app)
    texts = {action["record"]: action["text"] for action in actions_of(app)}
    assert texts[old] is None and PLANES in texts.values()


def test_after_rotation_the_texts_open_and_follow_ups_still_match(app, client, fixed_today):
    issue_meeting(client, D(2026, 11, 6), agreed=[("supervisor", CUPO, "2026-11-13")])
    rotated_to(app, "a-new-data-key")
    assert [action["text"] for action in actions_of(app)] == [CUPO]
    issue_meeting(client, D(2026, 11, 13), followed=[(CUPO, "done")])
    (only,) = actions_of(app)
    assert only["status"] == "done"  # matched by the digest keyed again
