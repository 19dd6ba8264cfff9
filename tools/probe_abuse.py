"""Abuse and faults against the README's server: each reproduction of issue #17, with its answer.

Run: ``.venv/bin/python tools/probe_abuse.py``. It starts gunicorn (``gunicorn.conf.py``, 2 workers)
on a free local port with a copy of the templates, sends each hostile request, then breaks the
copy's storage, template and catalogue one after the other and submits a Registro. It prints the
status, the seconds and the size of each answer. Nothing is asserted: the tests assert behaviour
(``tests/test_hardening.py``); this prints the figures for a reader.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmark_render import request, server, session  # noqa: E402

from tests.helpers import REGISTRO_URL, valid_registro  # noqa: E402
from tests.test_hardening import HOSTILE_SHEETS, hundred_thousand_actions, with_record, xlsx_with_sheet  # noqa: E402
from tests.test_tdr_batch import BATCH_URL, as_csv, person  # noqa: E402

CONFERENCE_URL = "/formularios/conferencia_ampliada"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def multipart(fields: dict, files: dict) -> tuple[bytes, dict]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             .encode() for name, value in fields.items()]
    parts += [(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
               f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n').encode()
              + data + b"\r\n" for name, (filename, data) in files.items()]
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def show(label: str, port: int, method: str, path: str, body=b"", headers=None) -> bytes:
    start = time.perf_counter()
    status, _headers, data = request(port, method, path, body, headers)
    print(f"{label:58s} {status}  {time.perf_counter() - start:6.2f} s  {len(data) / 1024:8.1f} KB")
    return data


def with_token(port: int, path: str) -> tuple[str, dict]:
    headers = session(port, path)
    return headers.pop("token"), headers


def issued_conference(port: int) -> bytes:
    token, headers = with_token(port, CONFERENCE_URL)
    from tests.test_conferencia import conference
    from webforms import create_app

    app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "probe",
                      "DATABASE": str(Path(tempfile.mkdtemp()) / "r.sqlite3")})
    data = conference(app.test_client())
    pairs = [(key, value) for key in data for value in data.getlist(key)]
    _status, _h, document = request(port, "POST", CONFERENCE_URL, urlencode(
        pairs + [("csrf_token", token)]).encode(), {**headers, **FORM})
    return document


def requests_with_many_fields(port: int) -> None:
    print("\nBounded work per request")
    flood = urlencode([(f"workers-{index}-name", "x") for index in range(30_000)]).encode()
    show("30,000 row fields (589 KB), no CSRF token", port, "POST", REGISTRO_URL, flood, FORM)
    token, headers = with_token(port, REGISTRO_URL)
    flood = urlencode([(f"workers-{index}-name", "x") for index in range(60_000)]
                      + [("csrf_token", token)]).encode()
    show("60,000 row fields, valid token", port, "POST", REGISTRO_URL, flood,
         {**headers, **FORM})
    document = issued_conference(port)
    for label, change in (("100,000 action items", hundred_thousand_actions),
                          ("a string where a list is expected",
                           lambda record: record["data"].update(action_plan="x"))):
        token, headers = with_token(port, CONFERENCE_URL)
        body, extra = multipart({"csrf_token": token, "row_action": "load:previous"},
                                {"previous_document": ("anterior.docx",
                                                       with_record(document, change))})
        show(f".docx with {label}, loaded as previous", port, "POST", CONFERENCE_URL, body,
             {**headers, **extra})


def uploads(port: int) -> None:
    print("\nSafe uploads (batch of ToR)")
    cases = {f".xlsx with {name}": ("lista.xlsx", xlsx_with_sheet(sheet))
             for name, sheet in sorted(HOSTILE_SHEETS.items())}
    duplicated = as_csv([person(1)]).decode("utf-8-sig").splitlines()
    cases["CSV with a column twice"] = ("lista.csv", "\n".join(
        [duplicated[0] + ";Lugar de destino", duplicated[1] + ";Otra"]).encode())
    cases["';' CSV with a formula cell"] = ("lista.csv", as_csv(
        [person(1, **{"Duración": "=1+1"})], delimiter=";"))
    for label, (filename, data) in cases.items():
        token, headers = with_token(port, BATCH_URL)
        body, extra = multipart({"csrf_token": token}, {"spreadsheet": (filename, data)})
        show(f"{label} ({len(data) // 1024} KB)", port, "POST", BATCH_URL, body,
             {**headers, **extra})


def small_things(port: int) -> None:
    print("\nRedirects, verification, small things")
    for target in ("/%09/evil.com", "/%0a/evil.com", "//evil.com"):
        status, headers, _data = request(port, "GET", f"/idioma/en?next={target}")
        print(f"{'/idioma/en?next=' + target:58s} {status}  → {headers.get('Location')}")
    start, statuses = time.perf_counter(), []
    for guess in range(1, 51):
        statuses.append(request(port, "GET", f"/verificar?numero=F1.G34.P-2026-{guess:06d}")[0])
    print(f"{'50 guesses at /verificar':58s} {statuses.count(404)} answered, "
          f"{statuses.count(429)} refused (429) in {time.perf_counter() - start:.2f} s")
    token, headers = with_token(port, REGISTRO_URL)
    body = urlencode({**valid_registro(supervisor_name="\u200b"), "csrf_token": token}).encode()
    show("a zero-width space as the supervisor's name", port, "POST", REGISTRO_URL, body,
         {**headers, **FORM})
    show("HEAD on a form page (signed in)", port, "HEAD", REGISTRO_URL, headers=headers)


def faults(port: int, directory: Path) -> None:
    print("\nFaults (the form comes back; the register is unchanged)")
    templates = directory / "templates"
    breakages = (
        ("output folder replaced by a file", lambda: _replace_with_file(directory / "output")),
        ("template replaced by garbage",
         lambda: (templates / "registro_reunion.docx").write_bytes(b"garbage")),
        ("catalogue.toml broken", lambda: _break_catalogue(templates / "catalogue.toml")),
    )
    for label, breakage in breakages:
        breakage()
        token, headers = with_token(port, REGISTRO_URL)
        body = urlencode({**valid_registro(), "csrf_token": token}).encode()
        page = show(label, port, "POST", REGISTRO_URL, body, {**headers, **FORM})
        kept = 'value="Marta G'.encode() in page
        print(f"{'':58s} form kept: {kept}")
    show("/healthz with all of the above", port, "GET", "/healthz")


def _replace_with_file(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
    path.write_text("not a folder")


def _break_catalogue(path: Path) -> None:
    path.write_text(path.read_text("utf-8").replace("[organization]", "[organization"), "utf-8")


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="probe-"))
    shutil.copytree(Path(__file__).resolve().parent.parent / "doc_templates",
                    directory / "templates")
    os.environ["WEBFORMS_DOC_TEMPLATES_DIR"] = str(directory / "templates")
    with contextlib.ExitStack() as stack:
        port, _pid = stack.enter_context(server(directory))
        requests_with_many_fields(port)
        uploads(port)
        small_things(port)
        faults(port, directory)
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
