"""One place commits (storage.transactions): services add and flush, the request (or task, or
command) commits once, so a number, its record and its audit entry are kept together or not at
all, on a page and in a batch."""
from contextlib import contextmanager
from html import unescape

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from werkzeug.datastructures import MultiDict

from tests.accounts import TEAM_MEMBER
from tests.helpers import REGISTRO_URL, issue_through_page, issued_count, valid_registro
from tests.test_tdr_batch import as_csv, person, upload
from webforms.audit import trail
from webforms.storage.database import db
from webforms.storage.models import AuditEntry, BatchRow, IssuedCopy, Record, RecordRevision, User


@contextmanager
def counted_commits(app):
    """How many transactions reach the database (a commit with nothing written is none)."""
    commits = []
    with app.app_context():
        engine = db.engine

    def count(_connection):
        commits.append(1)

    event.listen(engine, "commit", count)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", count)


@pytest.fixture
def failing_issue_audit(monkeypatch):
    """The audit trail failing to append a ``document_issued`` entry (the database dropped the
    statement): everything else is audited as usual."""
    append = trail.append_all

    def append_or_fail(entries_fields, connection=None):
        if any(fields["action"] == "document_issued" for fields in entries_fields):
            raise OperationalError("INSERT INTO audit_entries", {}, Exception("audit down"))
        return append(entries_fields, connection)

    monkeypatch.setattr(trail, "append_all", append_or_fail)
    return monkeypatch


def kept(app) -> tuple[int, int, int, int]:
    """Numbers, issued revisions, issued copies and ``document_issued`` entries kept."""
    with app.app_context():
        return (issued_count(),
                db.session.scalar(select(func.count()).select_from(RecordRevision)),
                db.session.scalar(select(func.count()).select_from(IssuedCopy)),
                db.session.scalar(select(func.count()).select_from(AuditEntry).where(
                    AuditEntry.action == "document_issued")))


def test_a_service_never_commits_and_the_request_commits_once(app, client):
    from webforms.common.catalogue import catalogue
    from webforms.forms import FORMS
    from webforms.records import saved as saved_records

    with counted_commits(app) as commits, app.app_context():
        user = db.session.scalar(select(User).where(User.email == TEAM_MEMBER))
        form = FORMS["registro_reunion"](formdata=MultiDict(valid_registro()),
                                         meta={"csrf": False})
        assert form.validate()
        pairs = saved_records.form_pairs(MultiDict(valid_registro()))
        record, rendered = saved_records.issue(catalogue().get("registro_reunion"), form, pairs,
                                               saved_records.working_teams(user)[0], user)
        assert rendered.issue.number and record.status == saved_records.ISSUED
        assert commits == []  # issued, numbered and audited: nothing committed yet
        db.session.rollback()
    assert kept(app) == (0, 0, 0, 0)  # the caller did not commit: nothing was kept
    with counted_commits(app) as commits:
        reviewed = client.post(REGISTRO_URL, data=valid_registro())
        assert reviewed.status_code == 200 and commits == [1]  # the review's draft and entry
    with counted_commits(app) as commits:
        issued = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert issued.status_code == 200 and kept(app) == (1, 1, 1, 1)
    # review, issue, record page and download: one commit each, however many writes
    assert len(commits) <= 4


def test_an_audit_that_fails_while_issuing_takes_no_number_and_gives_the_form_back(
        app, client, failing_issue_audit):
    response = issue_through_page(client, REGISTRO_URL,
                                  data=valid_registro(supervisor_name="Ana Restrepo"))
    page = unescape(response.get_data(as_text=True))
    assert response.status_code == 503 and 'value="Ana Restrepo"' in page
    assert "no se usó ningún número" in page
    assert kept(app) == (0, 0, 0, 0)
    with app.app_context():
        record = db.session.scalars(select(Record)).one()  # the draft the review kept
        assert record.status == "draft" and record.number is None
    failing_issue_audit.undo()
    again = issue_through_page(client, REGISTRO_URL,
                               data=valid_registro(supervisor_name="Ana Restrepo"))
    assert again.status_code == 200
    with app.app_context():
        numbers = db.session.scalars(select(Record.number).where(Record.number.is_not(None)))
        assert [number[-6:] for number in numbers] == ["000001"]  # the first, never lost


def test_an_audit_that_fails_in_a_batch_group_keeps_none_of_its_rows(
        app, client, failing_issue_audit):
    started = upload(client, as_csv([person(number) for number in range(3)]), "tres.csv")
    assert started.status_code == 303
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "falló" in page.lower() or "no se pudo" in page.lower()
    assert kept(app) == (0, 0, 0, 0)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Record)) == 0
        outcomes = set(db.session.scalars(select(BatchRow.outcome)))
        assert outcomes == {"pending"}  # no row issued: each is still to do
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "batch_failed")) == 1
    failing_issue_audit.undo()
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert response.status_code == 200 and kept(app)[0] == 1  # the next number: the first
