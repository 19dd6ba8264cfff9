"""What the database keeps: accounts, roles and teams; the register of issued numbers; the audit
trail; the teams' saved records. The content of a record is only ever kept sealed (authenticated
encryption, see storage.sealing); what stays readable is what the register and the lists need:
which form, which team, status, number, dates.

Accounts follow Flask-Security-Too's model mixins (``fsqla_v3``), so password hashing, sessions and
two-factor authentication are the library's, not ours.
"""
from __future__ import annotations

from flask_security.models import fsqla_v3 as fsqla
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    false,
    text,
    true,
)

from webforms.clock import now
from webforms.storage.database import db
from webforms.storage.sealing import SealedText

fsqla.FsModels.set_db_info(db, user_table_name="users", role_table_name="roles",
                           webauthn_table_name="webauthn")

# The roles, in the users' words (the names are the ones the command line takes).
ROLES = ("admin", "supervisor", "coordinador", "talento_humano", "formador", "calidad",
         "gestor_caso")

user_teams = Table(
    "user_teams", db.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", Integer, ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True))


class Role(db.Model, fsqla.FsRoleMixin):
    __tablename__ = "roles"


class Team(db.Model):
    """A case-management team or a regional office (``is_region``). A team may belong to a
    region, whose coordinators then see its records. ``modalities`` are the guide's modalities
    the team works in (keys of ``content.g34p.MODALITY_ROLES``): the dashboard expects a mesa
    interna a month for each. A deactivated team is offered nowhere new work is assigned; its
    records stay, readable as before."""

    __tablename__ = "teams"
    id = Column(Integer, primary_key=True)
    name = Column(String(120), unique=True, nullable=False)
    region_id = Column(Integer, ForeignKey("teams.id", ondelete="SET NULL"), nullable=True,
                       index=True)
    is_region = Column(Boolean, nullable=False, default=False)
    active = Column(Boolean, nullable=False, default=True)
    modalities = Column(JSON, nullable=False, default=list)
    # The weekly digest of reminders (webforms.reminders): its day (0 Monday … 6 Sunday) and
    # hour, in the installation's time zone.
    digest_weekday = Column(Integer, nullable=False, default=0, server_default=text("0"))
    digest_hour = Column(Integer, nullable=False, default=8, server_default=text("8"))
    region = db.relationship("Team", remote_side=[id], backref="region_teams")


class User(db.Model, fsqla.FsUserMixin):
    __tablename__ = "users"
    teams = db.relationship(Team, secondary=user_teams, lazy="selectin", backref="members")
    # The time step (30 s) of the last authenticator code accepted: a code is usable once.
    tf_totp_last_step = Column(Integer, nullable=True)
    # Whether the password hash was made from the normalised text (accounts.passwords): the
    # accounts hashed from the raw text before are checked both ways once, then re-hashed.
    password_normalized = Column(Boolean, nullable=False, default=True, server_default=false())
    # A temporary password set by an administrator: the user changes it before anything else.
    must_change_password = Column(Boolean, nullable=False, default=False,
                                  server_default=false())
    # A case manager's modality (a key of content.g34p.MODALITY_ROLES): the mesa interna they
    # hold is that modality's.
    modality = Column(String(40), nullable=True)
    # Whether the weekly digest and the notices of webforms.reminders are mailed to this user.
    reminders = Column(Boolean, nullable=False, default=True, server_default=true())

    def team_names(self) -> list[str]:
        return sorted(team.name for team in self.teams)

    def role_names(self) -> list[str]:
        return sorted(role.name for role in self.roles)


class UserSession(db.Model):
    """One signed-in browser. The session cookie holds a random token whose hash is kept here;
    every request checks the row, so ending it (sign-out, password or two-step change,
    deactivation, an administrator) refuses that cookie and any copy of it."""

    __tablename__ = "user_sessions"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    created_at = Column(DateTime(timezone=True), nullable=False,
                        default=now)
    last_seen_at = Column(DateTime(timezone=True), nullable=False,
                          default=now)
    user_agent = Column(String(200), nullable=True)
    address = Column(String(64), nullable=True)


class WebAuthn(db.Model, fsqla.FsWebAuthnMixin):
    """Security keys: the table the account model expects (WebAuthn sign-in is not offered)."""

    __tablename__ = "webauthn"


class IssuedDocument(db.Model):
    """One issued copy: its number and what produced it (metadata only)."""

    __tablename__ = "issued_documents"
    __table_args__ = (UniqueConstraint("code", "year", "sequence"),)
    number = Column(String(60), primary_key=True)
    code = Column(String(30), nullable=False)
    year = Column(Integer, nullable=False)
    sequence = Column(Integer, nullable=False)
    document_key = Column(String(80), nullable=False)
    version = Column(Integer, nullable=False)
    template_sha256 = Column(String(64), nullable=False)
    issued_at = Column(String(40), nullable=False)


class NumberCounter(db.Model):
    """The last number given for a code in a year: one row to lock while a number is taken."""

    __tablename__ = "number_counters"
    code = Column(String(30), primary_key=True)
    year = Column(Integer, primary_key=True)
    last = Column(Integer, nullable=False)


class AuditEntry(db.Model):
    """One action: who, when, from where, what (ids, never content). Append-only; each entry
    holds the hash of the one before (see audit.trail)."""

    __tablename__ = "audit_entries"
    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False,
                default=now)
    user_id = Column(Integer, nullable=True)
    user_email = Column(String(255), nullable=True)
    action = Column(String(60), nullable=False, index=True)
    target = Column(String(255), nullable=True)
    details = Column(JSON, nullable=True)
    address = Column(String(64), nullable=True)
    previous_hash = Column(String(64), nullable=False)
    hash = Column(String(64), nullable=False, unique=True)


class PendingSubmission(db.Model):
    """A form submitted after its author's session had expired, kept (encrypted) until that user
    signs in again in the same browser, so nothing typed is lost. Removed when restored or after
    a while."""

    __tablename__ = "pending_submissions"
    token = Column(String(64), primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    browser_hash = Column(String(64), nullable=False)
    document_key = Column(String(80), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False,
                        default=now)
    sealed = Column(LargeBinary, nullable=False)


class Record(db.Model):
    """One filled form kept by a team: a draft, or an issued document and its revisions.

    ``sealed`` holds what was typed (the form's fields and rows), encrypted; it is emptied when
    the retention period ends or the trash is emptied, while the number and the revisions' hashes
    stay in the register. ``record_date`` (the meeting's or session's date) and
    ``subject_digest`` (a keyed hash of the worker a supervision follows) are what carry-forward
    and the lists search on without opening the content.
    """

    __tablename__ = "records"
    __table_args__ = (Index("ix_records_team_updated", "team_id", "updated_at"),)
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="RESTRICT"), nullable=False,
                     index=True)
    document_key = Column(String(80), nullable=False, index=True)
    status = Column(String(16), nullable=False, index=True)  # see records.saved
    number = Column(String(60), nullable=True, unique=True)
    revision = Column(Integer, nullable=False, default=0)  # the latest issued revision
    changed_since_issue = Column(Boolean, nullable=False, default=False)
    record_date = Column(Date, nullable=True, index=True)
    subject_digest = Column(String(64), nullable=True, index=True)
    sealed = Column(LargeBinary, nullable=True)
    # The page that issued the record (a random token of the form page): the same page sent again
    # (a second click, a reload) finds its record instead of taking another number.
    issue_token = Column(String(32), nullable=True, unique=True)
    created_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    updated_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True,
                        index=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=now, index=True)
    issued_at = Column(DateTime(timezone=True), nullable=True)
    trashed_at = Column(DateTime(timezone=True), nullable=True)
    purged_at = Column(DateTime(timezone=True), nullable=True)

    team = db.relationship(Team, lazy="joined")
    author = db.relationship(User, foreign_keys=[updated_by], lazy="joined")


class RecordRevision(db.Model):
    """One issued revision of a record: the data it was issued with (sealed), the template
    version, when, and the SHA-256 of the file, so a copy downloaded later is checked to be the
    one issued."""

    __tablename__ = "record_revisions"
    record_id = Column(Integer, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    revision = Column(Integer, primary_key=True)
    number = Column(String(60), nullable=False, index=True)
    issued_at = Column(String(40), nullable=False)  # ISO 8601 with offset, to the second
    issued_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    template_version = Column(Integer, nullable=False)
    template_sha256 = Column(String(64), nullable=False)
    file_sha256 = Column(String(64), nullable=False, index=True)  # a file is verified by it
    language = Column(String(8), nullable=False)
    sealed = Column(LargeBinary, nullable=True)
    reason = Column(LargeBinary, nullable=True)  # why a correction was issued, sealed


class IssuedCopy(db.Model):
    """The bytes of one issued copy (the Word file at issue, its PDF once made), kept sealed, so
    a download sends the very file that was issued and never depends on rendering it again
    (records.issued_copies). ``sha256`` is of the file itself: a file presented to /verificar is
    recognised by it. Retention empties ``sealed`` and ``sealed_name``; the hash stays, like the
    register's."""

    __tablename__ = "issued_copies"
    record_id = Column(Integer, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    revision = Column(Integer, primary_key=True)
    format = Column(String(8), primary_key=True)  # "docx" or "pdf"
    number = Column(String(60), nullable=False, index=True)
    sha256 = Column(String(64), nullable=False, index=True)
    size = Column(Integer, nullable=False)
    sealed = Column(LargeBinary, nullable=True)
    sealed_name = Column(LargeBinary, nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)

    name = SealedText("sealed_name")


class Annulment(db.Model):
    """A request to annul an issued record's number, and its decision (records.annulments).

    Until a request is approved the number stays valid; the reason and the decision's note are
    what someone typed, so they are kept sealed like a record's content and emptied with it."""

    __tablename__ = "annulments"
    id = Column(Integer, primary_key=True)
    record_id = Column(Integer, ForeignKey("records.id", ondelete="CASCADE"), nullable=False,
                       index=True)
    number = Column(String(60), nullable=False)
    revision = Column(Integer, nullable=False)  # the record's revision when it was requested
    requested_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    requested_at = Column(DateTime(timezone=True), nullable=False, default=now)
    sealed_reason = Column(LargeBinary, nullable=True)
    reason = SealedText("sealed_reason", "annulment")
    state = Column(String(16), nullable=False, index=True)  # see records.annulments
    decided_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    decided_at = Column(DateTime(timezone=True), nullable=True)
    sealed_note = Column(LargeBinary, nullable=True)
    note = SealedText("sealed_note", "annulment")

    record = db.relationship(Record, lazy="joined")
    requester = db.relationship(User, foreign_keys=[requested_by], lazy="joined")
    decider = db.relationship(User, foreign_keys=[decided_by], lazy="joined")


class Job(db.Model):
    """Work done by the job consumer, not by a web worker: a batch, a PDF, the daily purge.

    The row is the job's truth, shared by every web server and consumer: its state, its progress
    and heartbeat (``updated_at``, which a consumer touches while it works, so a job whose
    consumer died is seen and taken up again), why it failed, and its input and result, sealed.
    Results are removed ``JOB_RESULTS_HOURS`` after the job ends.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_updated", "state", "updated_at"),)
    id = Column(String(32), primary_key=True)
    kind = Column(String(20), nullable=False)
    state = Column(String(16), nullable=False)  # see jobs.service
    owner_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    document_key = Column(String(80), nullable=True)
    # The same input by the same person while the job lives: one job, not two (see jobs.service).
    dedupe_key = Column(String(64), nullable=True, index=True)
    # What the page calls it (an uploaded file's name, a document's): sealed, as it may name a
    # person.
    sealed_label = Column(LargeBinary, nullable=True)
    label = SealedText("sealed_label")
    # The saved record whose copy the job makes (a record's PDF): its file is given only to who
    # may read that record when it is asked for (jobs.service.visible_to).
    record_id = Column(Integer, ForeignKey("records.id", ondelete="CASCADE"), nullable=True,
                       index=True)
    locale = Column(String(8), nullable=True)
    done = Column(Integer, nullable=False, default=0)
    total = Column(Integer, nullable=False, default=0)
    attempts = Column(Integer, nullable=False, default=0)
    error = Column(String(40), nullable=True)  # a code; the page says it in the user's language
    payload = Column(LargeBinary, nullable=True)
    result = db.deferred(Column(LargeBinary, nullable=True))
    sealed_result_name = Column(LargeBinary, nullable=True)
    result_name = SealedText("sealed_result_name")
    result_mimetype = Column(String(100), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=now)
    finished_at = Column(DateTime(timezone=True), nullable=True)


class JobPart(db.Model):
    """One finished piece of a job (a batch's document), saved as soon as it is made: a job taken
    up again after its consumer died goes on from where it stopped, and no number is issued twice
    for one row."""

    __tablename__ = "job_parts"
    job_id = Column(String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    position = Column(Integer, primary_key=True)
    # The document's file name, a person's in it, sealed; none for a row left out (its data empty).
    sealed_name = Column(LargeBinary, nullable=True)
    name = SealedText("sealed_name")
    data = Column(LargeBinary, nullable=False)
    # A second file of the piece (a batch document's PDF beside its Word copy), sealed.
    extra = Column(LargeBinary, nullable=True)


class Batch(db.Model):
    """A spreadsheet uploaded to issue many documents of a team at once (batch.service): what
    its history shows after its job, and the job's ZIP, are gone. Its id is its job's. The file's
    name may name a person: sealed."""

    __tablename__ = "batches"
    id = Column(String(32), primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="RESTRICT"), nullable=False,
                     index=True)
    owner_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    document_key = Column(String(80), nullable=False)
    sealed_name = Column(LargeBinary, nullable=True)
    name = SealedText("sealed_name")
    # What the ZIP holds: "docx", "pdf" or "both".
    output = Column(String(8), nullable=False, default="docx")
    # Rows whose person already has a document: "skip" them, or issue a "revise"d one.
    duplicates = Column(String(8), nullable=False, default="skip")
    rows = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now, index=True)


class BatchRow(db.Model):
    """What became of one row of a batch's spreadsheet (no content): the record and number it
    issued, or why it was left out. ``number`` is also the number a duplicate's person already
    holds, ``same_as`` the earlier row of the file with the same person."""

    __tablename__ = "batch_rows"
    batch_id = Column(String(32), ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True)
    row = Column(Integer, primary_key=True)
    outcome = Column(String(20), nullable=False)  # see batch.service
    record_id = Column(Integer, ForeignKey("records.id", ondelete="SET NULL"), nullable=True)
    number = Column(String(60), nullable=True)
    revision = Column(Integer, nullable=True)
    same_as = Column(Integer, nullable=True)


class ReminderNotice(db.Model):
    """A reminder already mailed to a user (webforms.reminders), so it is not mailed twice:
    ``kind`` "digest" (``key``: the team and the week), "action" (an overdue action) or
    "rhythm" (a rhythm's break). Keys are ids and dates, never typed text."""

    __tablename__ = "reminder_notices"
    __table_args__ = (UniqueConstraint("user_id", "kind", "key"),)
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(20), nullable=False)
    key = Column(String(120), nullable=False)
    sent_at = Column(DateTime(timezone=True), nullable=False, default=now)


class RosterWorker(db.Model):
    """One member of a team's staff (accounts.roster): never a child nor a family. The name is
    sealed (its own purpose) like any name typed; ``name_digest`` is the same keyed hash a
    supervision keeps of its worker (``Record.subject_digest``), so the dashboard matches a
    worker with the sessions about them without opening either. ``role`` is a key of
    accounts.roster.ROLES, ``modality`` one of content.g34p.MODALITY_ROLES. A worker who left
    has an ``end_date``: the row stays (who was on the team when), the dashboard drops them."""

    __tablename__ = "roster_workers"
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    sealed_name = Column(LargeBinary, nullable=False)
    name = SealedText("sealed_name", "roster")
    name_digest = Column(String(64), nullable=False, index=True)
    role = Column(String(40), nullable=False)
    modality = Column(String(40), nullable=True)
    start_date = Column(Date, nullable=False)
    end_date = Column(Date, nullable=True)
    created_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    updated_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=now)

    team = db.relationship(Team, lazy="joined")


class Action(db.Model):
    """An action agreed in a record (Registro, Conferencia ampliada, Mesa interna, Supervisión
    individual), followed until it is closed (webforms.actions.tracker). ``text`` and
    ``responsible`` are what someone typed: sealed; ``text_key`` is a keyed digest of the text
    as follow-ups are matched to it, so matching never unseals. ``status`` is the latest event's
    (by the date it took effect), kept here for the lists; the history is in ``events``."""

    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_team_status", "team_id", "status"),
                      Index("ix_actions_team_family_agreed", "team_id", "family", "agreed_on"))
    id = Column(Integer, primary_key=True)
    team_id = Column(Integer, ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    family = Column(String(16), nullable=False)  # meetings, conferences, tables, supervision
    origin_record_id = Column(Integer, ForeignKey("records.id", ondelete="CASCADE"),
                              nullable=False, index=True)
    subject_digest = Column(String(64), nullable=True)  # the worker of a supervision
    role = Column(String(16), nullable=False)
    sealed_responsible = Column(LargeBinary, nullable=True)
    responsible = SealedText("sealed_responsible", "actions")
    roster_worker_id = Column(Integer, nullable=True)
    agreed_on = Column(Date, nullable=False)
    deadline = Column(Date, nullable=True)
    sealed_text = Column(LargeBinary, nullable=True)
    text = SealedText("sealed_text", "actions")
    text_key = Column(String(64), nullable=False, index=True)
    status = Column(String(16), nullable=False)
    closed_on = Column(Date, nullable=True)

    origin = db.relationship(Record, lazy="joined")
    events = db.relationship("ActionEvent", back_populates="action", cascade="all, delete-orphan",
                             order_by="(ActionEvent.effective_on, ActionEvent.at, ActionEvent.id)")


class ActionEvent(db.Model):
    """One status an action took, from the date it took effect: a follow-up row of a later
    record (``record_id``) or an update on the Acciones page (``user_id``); its note, sealed."""

    __tablename__ = "action_events"
    id = Column(Integer, primary_key=True)
    action_id = Column(Integer, ForeignKey("actions.id", ondelete="CASCADE"), nullable=False,
                       index=True)
    status = Column(String(16), nullable=False)
    effective_on = Column(Date, nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=now)
    record_id = Column(Integer, ForeignKey("records.id", ondelete="CASCADE"), nullable=True,
                       index=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    sealed_note = Column(LargeBinary, nullable=True)
    note = SealedText("sealed_note", "actions")

    action = db.relationship(Action, back_populates="events")



class SsoIdentity(db.Model):
    """An account's identity at the organisation's OpenID provider (accounts.sso): the provider
    (``issuer``) and its stable id for the person (``subject``), the pair every single sign-on is
    matched by. The last ID token the provider gave is kept for RP-initiated sign-out (its
    ``id_token_hint``): it grants nothing here."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    issuer = Column(String(255), nullable=False)
    subject = Column(String(255), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    last_sign_in_at = Column(DateTime(timezone=True), nullable=True)
    id_token = Column(db.Text, nullable=True)

    user = db.relationship(User, lazy="joined")


class SsoState(db.Model):
    """A single sign-on under way: the SHA-256 of its ``state``, removed by the one callback
    that may use it, so a replayed callback finds nothing (accounts.sso)."""

    __tablename__ = "sso_states"
    state_hash = Column(String(64), primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
class WebhookEndpoint(db.Model):
    """A receiving system an administrator registered (webforms.webhooks): where to post, which
    events, and the endpoint's signing secret, sealed (it is shown once, when made or rotated)."""

    __tablename__ = "webhook_endpoints"
    id = Column(Integer, primary_key=True)
    url = Column(String(2000), nullable=False)
    description = Column(String(200), nullable=False, default="")
    events = Column(JSON, nullable=False, default=list)
    enabled = Column(Boolean, nullable=False, default=True)
    sealed_secret = Column(LargeBinary, nullable=False)
    secret = SealedText("sealed_secret", "webhooks")
    created_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    secret_rotated_at = Column(DateTime(timezone=True), nullable=True)


class WebhookDelivery(db.Model):
    """One event for one endpoint (the outbox): written in the transaction of what happened,
    posted by the job queue after it committed. ``id`` is the message's ``webhook-id`` (the same
    on every attempt); ``payload`` holds ids, numbers and links only, never a record's content."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_state_next", "state", "next_attempt_at"),)
    id = Column(String(40), primary_key=True)
    endpoint_id = Column(Integer, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    event = Column(String(32), nullable=False)
    payload = Column(JSON, nullable=False)
    state = Column(String(16), nullable=False)  # pending, delivered, failed (webhooks.service)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    finished_at = Column(DateTime(timezone=True), nullable=True)


class WebhookAttempt(db.Model):
    """One try at posting a delivery: the endpoint's delivery log (status or error, duration)."""

    __tablename__ = "webhook_attempts"
    id = Column(Integer, primary_key=True)
    delivery_id = Column(String(40), ForeignKey("webhook_deliveries.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    endpoint_id = Column(Integer, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    number = Column(Integer, nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=now)
    status_code = Column(Integer, nullable=True)
    error = Column(String(80), nullable=True)
    duration_ms = Column(Integer, nullable=False, default=0)

    delivery = db.relationship(WebhookDelivery, lazy="joined")


class WebhookOverdueNotice(db.Model):
    """An action already announced as overdue (``action.overdue``), with the deadline it passed:
    announced once, again only if its deadline is moved and passes again."""

    __tablename__ = "webhook_overdue_notices"
    action_id = Column(Integer, ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    deadline = Column(Date, nullable=False)
    noticed_at = Column(DateTime(timezone=True), nullable=False, default=now)
class ApiToken(db.Model):
    """A token of the API (webforms.api): it acts as its account (``user_id``), with the roles,
    teams and need to know of that account, narrowed to its ``scopes``. A personal token is made
    by its own user on the account page; a service token by an administrator for an account that
    stands for another system. Only the SHA-256 of the secret is kept (the secret is shown once);
    ``prefix`` is its first characters, to recognise it in a list. It stops at ``expires_at``,
    when revoked, and whenever its account is deactivated."""

    __tablename__ = "api_tokens"
    id = Column(Integer, primary_key=True)
    user_id = Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
                     index=True)
    name = Column(String(80), nullable=False)
    kind = Column(String(16), nullable=False)  # "personal" or "service"
    prefix = Column(String(16), nullable=False)
    token_hash = Column(String(64), nullable=False, unique=True)
    scopes = Column(JSON, nullable=False, default=list)
    created_by = Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=now)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    revoked_at = Column(DateTime(timezone=True), nullable=True)
    last_used_at = Column(DateTime(timezone=True), nullable=True)

    user = db.relationship(User, foreign_keys=[user_id], lazy="joined")
