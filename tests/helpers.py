"""Reading generated documents the way a reviewer would: with python-docx."""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import shutil
import subprocess
import zipfile
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import docx
import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PdfFileWriter
from sqlalchemy import inspect, select
from werkzeug.datastructures import MultiDict

from tests.accounts import PASSWORD, ROLE_ACCOUNTS
from tests.seed_texts import normal
from webforms.accounts.extension import security
from webforms.api import tokens
from webforms.documents.pdf import pdf_available
from webforms.forms import FORMS
from webforms.storage.database import db
from webforms.storage.models import Annulment, AuditEntry, Record

REGISTRO_URL = "/formularios/registro_reunion"
MAIL_FROM = "formularios@example.org"  # the sender of the mail_app fixture's messages
# The day the dashboard's tests take as today (the ``fixed_today`` fixture of tests/conftest.py).
TODAY = dt.date(2026, 12, 2)

# --- PDFs --------------------------------------------------------------------------------------
HAS_PDF = bool(pdf_available() and shutil.which("pdftotext"))
# A test that starts LibreOffice itself (the cold path).
needs_libreoffice = pytest.mark.skipif(not HAS_PDF, reason="LibreOffice or pdftotext not installed")


def needs_pdf(test):
    """A test whose apps make PDFs: marked `pdf`, so they convert through the session's warm
    converter (tests/conftest.py); skipped without LibreOffice."""
    return pytest.mark.pdf(needs_libreoffice(test))


def stand_in_pdf(text: str) -> bytes:
    """A one-page PDF standing in for LibreOffice's (a test that needs no conversion): a real PDF,
    so an issued copy's can be signed; ``text`` tells two apart."""
    writer = PdfFileWriter()
    writer.insert_page(generic.DictionaryObject({
        generic.pdf_name("/Type"): generic.pdf_name("/Page"),
        generic.pdf_name("/MediaBox"): generic.ArrayObject(map(generic.NumberObject, (0, 0, 595, 842))),
        generic.pdf_name("/StandIn"): generic.TextStringObject(text)}))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, check=True,
                          capture_output=True).stdout.decode()


def valid_registro(**overrides) -> dict:
    """A complete, valid Registro as a browser would post it."""
    data = {
        "supervisor_name": "Marta Gómez",
        "meeting_date": "2026-11-20",
        "start_time": "09:30",
        "duration_minutes": "75",
        "meeting_type": "regular",
        "workers-0-name": "Luis Ortega",
        "workers-0-success": "Cerró dos planes de caso con la familia.",
        "workers-0-challenges": "Demoras en la respuesta del sector salud.",
        "workers-1-name": "Carmen Ruiz",
        "workers-1-success": "Primera visita con intérprete.",
        "workers-1-challenges": "Carga de casos alta.",
        "welcome_notes": "Se aprobó la agenda.",
        "management_notes": "Nuevo formato de informe mensual.",
        "development_notes": "Tema propuesto: entrevista a adolescentes.",
        "support_notes": "Ejercicio de mandala revisado.",
        "closing_notes": "Resumen de acuerdos.",
        "open_cases": "24",
        "high_risk_cases": "3",
        "medium_risk_cases": "5",
        "complex_cases": "Caso GC-031: estancado por falta de cupo.",
        "supervisor_actions-0-action": "Gestionar cupo con el operador.",
        "supervisor_actions-0-responsible": "Marta Gómez",
        "supervisor_actions-0-deadline": "2026-11-27",
        "worker_actions-0-action": "Actualizar planes de caso.",
        "worker_actions-0-responsible": "Luis Ortega",
        "worker_actions-0-deadline": "2026-11-25",
        "next_meeting_date": "2026-11-27",
        "next_meeting_programme": "Revisión de casos de alto riesgo.",
        "no_personal_data": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def open_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def find_table(document, first_cell: str):
    """The body table whose first cell reads ``first_cell``."""
    for table in document.tables:
        if table.rows and table.rows[0].cells[0].text == first_cell:
            return table
    raise AssertionError(f"no table starting with {first_cell!r}")


def labelled_value(document, label: str) -> str:
    """The value next to ``label`` in a two-column label/value table."""
    for table in document.tables:
        for row in table.rows:
            cells = row.cells
            if len(cells) == 2 and cells[0].text == label:
                return cells[1].text
    raise AssertionError(f"no row labelled {label!r}")


def header_rows(document) -> list[list[str]]:
    return table_rows(document.sections[0].header.tables[0])


def part_xml(data: bytes, name_pattern: str) -> str:
    """Raw XML of the package parts whose name matches, e.g. ``word/header\\d*.xml``."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "".join(package.read(name).decode("utf-8") for name in package.namelist()
                       if re.fullmatch(name_pattern, name))


def body_text(document) -> str:
    chunks = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        chunks.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(chunks)


TDR_URL = "/formularios/tdr_gestor_casos"


class _FormDefaults(HTMLParser):
    """Collects what a browser would submit for a page's form left untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "textarea" and name:
            self._textarea = [name, ""]
        if tag != "input" or not name:
            return
        kind = attrs.get("type", "text")
        if kind in ("checkbox", "radio"):
            if "checked" in attrs:
                self.pairs.append((name, attrs.get("value", "on")))
        elif kind not in ("submit", "button", "file"):
            self.pairs.append((name, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.pairs.append((self._textarea[0], self._textarea[1].lstrip("\r\n")))
            self._textarea = None


def page_defaults(client, url: str) -> MultiDict:
    """The form data a browser sends for the page as first shown (pre-filled lists, ticks…)."""
    parser = _FormDefaults()
    parser.feed(client.get(url).get_data(as_text=True))
    return MultiDict(parser.pairs)


def valid_tdr(client, **overrides) -> MultiDict:
    data = page_defaults(client, TDR_URL)
    typed = {"case_manager_name": "Ana María Torres", "organization": "Corporación Niñez",
             "duty_station": "Cúcuta", "start_date": "2027-01-15", "duration": "12 meses"}
    for key, value in (typed | overrides).items():
        if value is None:
            data.pop(key, None)
        elif isinstance(value, list):
            data.setlist(key, value)
        else:
            data[key] = value
    return data


def paragraphs_after(document, heading: str, style_prefix: str = "List") -> list[str]:
    """The list paragraphs that follow a heading, up to the next heading."""
    found, items = False, []
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            if found:
                break
            found = paragraph.text == heading
            continue
        if found and paragraph.style.name.startswith(style_prefix):
            items.append(paragraph.text)
    assert found, f"no heading {heading!r}"
    return items


def edited_copy(source: Path, target: Path, edit) -> Path:
    """A copy of a .docx file whose parts are passed through ``edit(name, text) -> text``."""
    target.write_bytes(edited_package(source.read_bytes(), edit))
    return target


def edited_package(data: bytes, edit) -> bytes:
    """The .docx ``data`` with its parts passed through ``edit(name, text) -> text``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as original, zipfile.ZipFile(buffer, "w") as copy:
        for item in original.infolist():
            content = original.read(item.filename)
            if item.filename.endswith((".xml", ".rels")):
                content = edit(item.filename, content.decode("utf-8")).encode("utf-8")
            copy.writestr(item, content)
    return buffer.getvalue()


def in_body(old, new):
    return lambda name, text: text.replace(old, new) if name == "word/document.xml" else text


def session_expired(client):
    """The browser dropped the session cookie, its idle time over; its other cookies stay."""
    client.delete_cookie("session")
    return client


def kept_link(response) -> str | None:
    """The page a post sent to sign in comes back to, if it kept the form (``restaurar=``)."""
    back = parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]
    return back if "restaurar=" in back else None


def sign_in(client, email: str, password: str | None = None):
    """Sign ``client`` in through the sign-in page, as a person would."""
    response = client.post("/cuenta/ingresar", data={"email": email,
                                                     "password": password or PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client


def sign_in_with_code(client, email: str, code: str, password: str | None = None):
    """Sign in an account with two-step verification: password, then the code."""
    sign_in(client, email, password)
    response = client.post("/cuenta/dos-pasos/codigo", data={"code": code})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client


def copy_of(app, client):
    """A second browser holding a copy of ``client``'s session cookie (as a thief would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def sign_in_errors(page: str) -> list[str]:
    """The error messages on a sign-in (or other account) page."""
    return re.findall(r'class="fs-error-msg">([^<]*)<', page)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def page_links(page: str) -> list[str]:
    """Every link (``<a href>``) of a page, in order, as written."""
    parser = _Links()
    parser.feed(page)
    return parser.hrefs


class _ReadableText(HTMLParser):
    """What a reader meets on a page: its text and the words of its attributes (placeholders,
    labels, titles, button values), not its scripts or styles."""

    SAID = ("placeholder", "aria-label", "title", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [attrs[name] for name in self.SAID if attrs.get(name)]
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def readable_text(page: str) -> str:
    """A page's text as read, one line a piece (see _ReadableText)."""
    parser = _ReadableText()
    parser.feed(page)
    return "\n".join(parser.parts)


# --- annulments (records.annulments) -----------------------------------------------------------
def request_annulment(client, record_id: int, reason: str = "Emitido por error: otro equipo."):
    """Ask, on the record's page, to annul ``record_id``'s number with ``reason``."""
    return client.post(f"/registros/{record_id}/anular", data={"reason": reason})


def pending_annulment_id(app, record_id: int) -> int | None:
    with app.app_context():
        return db.session.scalar(db.select(Annulment.id).where(
            Annulment.record_id == record_id, Annulment.state == "pending"))


def decide_annulment(client, annulment_id: int, decision: str = "approve", note: str = ""):
    """A reviewer's decision on the queue page: ``approve`` or ``reject``, with a note."""
    return client.post(f"/registros/anulaciones/{annulment_id}/decidir",
                       data={f"a{annulment_id}-decision": decision,
                             f"a{annulment_id}-note": note})


def annul(app, client, record_id: int) -> None:
    """Annul ``record_id`` as the product does: its member asks, a `calidad` user approves."""

    assert request_annulment(client, record_id).status_code == 303
    reviewer = sign_in(app.test_client(), ROLE_ACCOUNTS["calidad"])
    assert decide_annulment(reviewer, pending_annulment_id(app, record_id)).status_code == 303


BATCH_REPORT = "informe.csv"


def batch_documents(archive) -> list[str]:
    """The documents of a batch's ZIP (a ``zipfile.ZipFile``), in order, without its report."""
    return sorted(name for name in archive.namelist() if name != BATCH_REPORT)


def batch_report(archive) -> list[list[str]]:
    """The rows of a batch's report (``informe.csv``), its header first."""
    text = archive.read(BATCH_REPORT).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# --- issuing through the review step (records.fill_views, records.review) ----------------------------
def review_form(page: str) -> tuple[str, dict] | None:
    """The review step's «Emitir con número» form on ``page``: its action and hidden fields;
    None when the page is not a review step."""
    found = re.search(r'<form method="post" action="([^"]+)"[^>]*id="issue-form">(.*?)</form>',
                      page, re.DOTALL)
    if found is None:
        return None
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', found.group(2))
    return html.unescape(found.group(1)), {name: html.unescape(value) for name, value in fields}


def issue_through_page(client, url: str, data=None, **options):
    """Send a form page as its «Revisar y emitir» does and, when it answers with the review step,
    press «Emitir con número» and follow to the record's page: the answer is then the issued
    copy's download (Word, or PDF when ``format=pdf`` was sent). Any other answer (the form
    refused, a draft saved, a correction without a reason, an issue that failed and leads back
    to the form) is returned as it came."""
    response = client.post(url, data=data, **options)
    page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    review = review_form(page) if response.status_code == 200 else None
    if review is None:
        return response
    issued = client.post(review[0], data=review[1])
    landed = re.search(r"/registros/(\d+)$", issued.headers.get("Location", ""))
    if issued.status_code != 303 or landed is None:  # not issued: the form, with a message
        return issued
    record_id = landed.group(1)
    extension = "pdf" if (data or {}).get("format") == "pdf" else "docx"
    return client.get(f"/registros/{record_id}/documento.{extension}")


def register_number(code: str, document_key: str, version: int, sha: str, issued_at):
    """A number taken and committed on its own (a copy made outside a saved record, as the
    register's own tests and older installations did); inside an application context."""
    from webforms.storage.register import take_number

    with db.engine.begin() as connection:
        return take_number(connection, code, document_key, version, sha, issued_at)


def issued_count() -> int:
    """How many numbers the register holds (inside an application context)."""
    from sqlalchemy import func, select

    from webforms.storage.models import IssuedDocument

    with db.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(IssuedDocument)).scalar_one()


def listed(client, **query) -> dict[int, str]:
    """The list's rows, by record id: each row's text as a reader sees it."""
    response = client.get(LIST_URL, query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>", 1)[-1], re.DOTALL)
    found = {}
    for row in rows:
        record_id = re.search(r'href="/registros/(\d+)"', row)
        if record_id:
            found[int(record_id.group(1))] = " ".join(html.unescape(
                re.sub(r"<[^>]+>", " ", row)).split())
    return found


def first_footer_text(data: bytes) -> str:
    """The text of the first section's footer of a .docx, on one line."""
    return " ".join(paragraph.text for paragraph in open_docx(data).sections[0].footer.paragraphs)


def page_text(response) -> str:
    """A page's text as read (tags and drawings left out), on one line."""
    body = re.sub(r"<svg.*?</svg>", " ", response.get_data(as_text=True), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def row_text(response, name: str) -> str:
    """The text of the page's first table row whose text starts with ``name``, on one line."""
    for row in re.findall(r"<tr\b.*?</tr>", response.get_data(as_text=True), flags=re.S):
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
        if text.startswith(name):
            return text
    raise AssertionError(f"no table row starts with {name!r}")


def has_textarea_text(page: str, text: str) -> bool:
    return re.search(r">\s*" + re.escape(text) + "</textarea>", page) is not None


def issued_numbers(app) -> int:
    with app.app_context():
        return issued_count()


def audit_entries(app, action: str) -> list[AuditEntry]:
    with app.app_context():
        return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id)).all()


def error_for(page: str, field_id: str) -> str:
    """The error message rendered next to (tied by id to) a field."""
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page, re.S)
    assert match, f"no error shown for {field_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def input_value(page: str, field_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(field_id)}"[^>]*>', page)
    assert match, f"no input {field_id}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return unescape(value.group(1)) if value else ""


def textarea_value(page: str, field_id: str) -> str:
    match = re.search(rf'<textarea[^>]*id="{re.escape(field_id)}"[^>]*>(.*?)</textarea>', page,
                      re.S)
    assert match, f"no textarea {field_id}"
    return unescape(match.group(1)).lstrip("\r\n")


def selected_value(page: str, field_id: str) -> str:
    """The value of the option chosen in a select list ("" when none is)."""
    match = re.search(rf'<select[^>]*id="{re.escape(field_id)}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no select {field_id}"
    chosen = re.search(r'<option[^>]*\bselected\b[^>]*>', match.group(1))
    value = re.search(r'value="([^"]*)"', chosen.group(0)) if chosen else None
    return unescape(value.group(1)) if value else ""


def database_dump() -> str:
    """Every row of every table as text (SQLite or PostgreSQL alike)."""
    chunks = []
    for table in inspect(db.engine).get_table_names():
        rows = db.session.execute(db.text(f'SELECT * FROM "{table}"')).all()
        chunks.append(repr(rows))
    return "".join(chunks)


def footer_text(data: bytes) -> str:
    return "\n".join(paragraph.text for section in open_docx(data).sections
                     for paragraph in section.footer.paragraphs)


def page_token(client) -> str:
    """The token of a new form page, as the browser sends it back."""
    page = client.get(REGISTRO_URL).get_data(as_text=True)
    return re.search(r'name="issue_token" value="([0-9a-f]{32})"', page).group(1)


def the_record(app, number: str | None = None) -> Record:
    with app.app_context():
        query = select(Record).order_by(Record.id.desc())
        if number:
            query = query.where(Record.number == number)
        record = db.session.scalars(query).first()
        db.session.expunge_all()
        return record


def paragraphs(data: bytes) -> list[str]:
    """Every paragraph of a .docx (body, tables, headers, footers, footnotes), as compared."""
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in filter(_PARTS.fullmatch, package.namelist()):
            xml = package.read(name).decode("utf-8")
            for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                paragraph = re.sub(r"<w:(tab|br)\b[^>]*/>", " ", paragraph)
                text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph))
                found.append(normal(_unescaped(text)))
    return found


SECRET = "Marta Secreta"


def footer_of(response) -> tuple[str, str, str]:
    """The number, its " rev. N" (or nothing) and the check code the copy prints."""
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    footer = " ".join(p.text for p in open_docx(response.data).sections[0].footer.paragraphs)
    match = FOOTER.search(footer)
    assert match, footer
    return match.group(1), match.group(2) or "", match.group(3)


def upload(client, data: bytes, name: str = "copia.docx"):
    """A file checked on /verificar: the response and its page's text."""
    response = client.post("/verificar", data={"archivo": (io.BytesIO(data), name)},
                           content_type="multipart/form-data")
    return response, unescape(response.get_data(as_text=True))


def record_id_of(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(Record.id).where(Record.number == number))


FOOTER = re.compile(r"N\.º (\S+)( rev\. \d+)? · código de verificación ([A-Z2-7]{4}-[A-Z2-7]{4})")


_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes)\.xml")


def _unescaped(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&apos;", "'").replace("&amp;", "&"))


LIST_URL = "/registros/"


# --- the API (webforms.api) --------------------------------------------------------------------
def api_token(app, email: str, scopes=None, days: int = 30, kind: str = "personal") -> str:
    """The secret of a new API token of the account ``email`` (every scope by default), made as
    its account page makes one."""
    with app.test_request_context():
        owner = security.datastore.find_user(email=email)
        made = tokens.create(owner, "prueba", tokens.SCOPES if scopes is None else scopes,
                             dt.date.today() + dt.timedelta(days=days), kind, owner)
        db.session.commit()
        return made.secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def form_values(app, key: str, formdata: dict) -> dict:
    """What a page would post (``formdata``) as the API's JSON ``values`` (rows as lists)."""
    with app.test_request_context():
        form = FORMS[key](formdata=MultiDict(formdata), meta={"csrf": False})
        return {name: value for name, value in form.values().items() if value is not None}
