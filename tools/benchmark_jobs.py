"""Benchmark: PDFs cold and warm, and the site's responsiveness while long work runs.

Run: ``.venv/bin/python tools/benchmark_jobs.py [repetitions] [--signing-only]`` (default 10). In
one run it prints:

1. the PDF of a filled Registro, interleaved: a fresh ``soffice --convert-to`` per document (the
   cold path, and the baseline) against the converter kept warm (webforms.jobs.converter); then,
   interleaved too, the warm PDF unsigned against the same PDF signed as an issued copy is
   (common.signing, the self-signed default key), and what signing adds (target: at most 50 ms
   median); ``--signing-only`` prints this comparison alone;
2. the trainers' pack (every blank template and handout): a fresh ``soffice`` per document, one
   ``soffice`` for the whole pack, and the warm converter one document at a time;
3. over HTTP, the README's product (gunicorn with gunicorn.conf.py, the job consumer and the
   converter): the home page's p50 and p95 idle, then while 4 PDF conversions and 2 batches of 300
   ToR run.

Medians, p95 and ratios are printed, never asserted: performance is tracked here, not in tests.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from benchmark_render import BIN, batch_over_http, p95, request, server, tor_spreadsheet  # noqa: E402

from tests.test_engine_samples import filled_formdata  # noqa: E402
from webforms import create_app  # noqa: E402
from webforms.clock import now  # noqa: E402
from webforms.common.catalogue import catalogue  # noqa: E402
from webforms.common.rendering import render_filled  # noqa: E402
from webforms.common.signing import sign_issued  # noqa: E402
from webforms.config import converter_secret, default_converter_socket  # noqa: E402
from webforms.documents.engine import template_sha256  # noqa: E402
from webforms.documents.pdf import Converter, converter_status, to_pdf, to_pdfs  # noqa: E402
from webforms.forms import FORMS  # noqa: E402
from webforms.records.numbering import new_issue  # noqa: E402
from webforms.trainers.materials import materials  # noqa: E402

TIMEOUT = 120


def summary(label: str, seconds: list[float], baseline: list[float] | None = None) -> str:
    line = (f"{label:<44} median {statistics.median(seconds) * 1000:7.0f} ms, "
            f"p95 {p95(sorted(seconds)) * 1000:7.0f} ms")
    if baseline:
        line += f"  ({statistics.median(baseline) / statistics.median(seconds):4.1f}× faster)"
    return line


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def warm_converter(directory: Path):
    """The converter as the Procfile starts it, on its socket in ``directory``'s instance
    folder; returns it and the endpoint the consumer would use."""
    instance = directory / "instance"
    process = subprocess.Popen([str(BIN / "python"), "-m", "webforms.jobs.converter"], cwd=ROOT,
                               env={"WEBFORMS_INSTANCE_DIR": str(instance), "PATH": "/usr/bin:/bin",
                                    "HOME": str(directory)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = Converter(str(default_converter_socket(instance)), converter_secret(instance))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if isinstance(converter_status((endpoint,)), dict):  # it answers: its LibreOffice is up
            return process, endpoint
        time.sleep(0.5)
    raise SystemExit("the converter did not start")


def filled_registro(app) -> bytes:
    with app.test_request_context():
        form_class = FORMS["registro_reunion"]
        form = form_class(formdata=filled_formdata(form_class), meta={"csrf": False})
        document = catalogue().get("registro_reunion")
        issue = new_issue("F1.G34.P-2026-000001", now(whole_seconds=True), document.version,
                          template_sha256(document.template))
        return render_filled(document, form, issue).data


def pdf_side_by_side(docx: bytes, address: Converter, repetitions: int) -> None:
    cold, warm = [], []
    for _ in range(repetitions):
        cold.append(timed(to_pdf, docx, TIMEOUT, ()))
        warm.append(timed(to_pdf, docx, TIMEOUT, (address,)))
    print("\n1. PDF of a filled Registro")
    print(summary("cold: a fresh soffice --convert-to", cold))
    print(summary("warm: the converter kept warm", warm, cold))


def signed_side_by_side(app, docx: bytes, address: Converter, repetitions: int) -> None:
    """The warm PDF unsigned, then signed as a record's copy (convert_job's last step),
    interleaved, with the key loaded once as in a running consumer."""
    unsigned, signed, added = [], [], []
    with app.app_context():
        sign_issued(to_pdf(docx, TIMEOUT, (address,)), "F1.G34.P-2026-000001", 1)  # loads the key
        for _ in range(repetitions):
            unsigned.append(timed(to_pdf, docx, TIMEOUT, (address,)))
            start = time.perf_counter()
            pdf = to_pdf(docx, TIMEOUT, (address,))
            converted = time.perf_counter()
            sign_issued(pdf, "F1.G34.P-2026-000001", 1)
            signed.append(time.perf_counter() - start)
            added.append(time.perf_counter() - converted)
    print("\n1b. The PDF of an issued copy: unsigned and signed (PAdES, warm converter)")
    print(summary("warm, unsigned", unsigned))
    print(summary("warm, then signed", signed))
    print(summary("signing alone (target: median <= 50 ms)", added))
    difference = statistics.median(signed) - statistics.median(unsigned)
    print(f"{'difference of the medians':<44} {difference * 1000:+7.0f} ms")


def pack_side_by_side(app, address: Converter, repetitions: int) -> None:
    with app.test_request_context():
        documents = {item.docx.name: item.docx.read_bytes()
                     for item in materials(with_pdf=False)}
    each, together, warm = [], [], []
    for _ in range(max(1, repetitions // 3)):
        each.append(sum(timed(to_pdfs, {name: data}, TIMEOUT, ())
                        for name, data in documents.items()))
        together.append(timed(to_pdfs, documents, TIMEOUT, ()))
        warm.append(timed(to_pdfs, documents, TIMEOUT, (address,)))
    print(f"\n2. The trainers' pack ({len(documents)} documents)")
    print(summary("cold: a fresh soffice per document", each))
    print(summary("cold: one soffice for the whole pack", together, each))
    print(summary("warm: the converter, one by one", warm, each))


def home_page(port: int, stop: threading.Event) -> list[float]:
    latencies = []
    while not stop.is_set():
        latencies.append(timed(request, port, "GET", "/"))
        time.sleep(0.02)
    return latencies


def under_load(app) -> None:
    spreadsheets = [tor_spreadsheet(app, 300, f"Lote {number}") for number in (1, 2)]
    pdfs = [f"/formularios/{key}/en-blanco.pdf" for key in (
        "registro_reunion", "supervision_individual", "conferencia_ampliada", "mesa_interna")]
    with tempfile.TemporaryDirectory() as directory, \
            server(Path(directory), converter=True) as (port, _master):
        time.sleep(8)  # the converter's LibreOffice starts
        request(port, "GET", "/formularios/tdr_gestor_casos/en-blanco.pdf")  # and warms up
        idle = run_home_page(port, lambda: time.sleep(10))
        work = [threading.Thread(target=request, args=(port, "GET", path)) for path in pdfs]
        work += [threading.Thread(target=batch_over_http, args=(port, data))
                 for data in spreadsheets]
        busy = run_home_page(port, lambda: start_and_join(work))
    print("\n3. Over HTTP: gunicorn (gunicorn.conf.py), the job consumer, the converter")
    print(summary(f"home page, idle ({len(idle)} requests)", idle))
    print(summary(f"home page, 4 PDFs + 2 batches of 300 ({len(busy)})", busy))


def start_and_join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_home_page(port: int, meanwhile) -> list[float]:
    stop, latencies = threading.Event(), []
    reader = threading.Thread(target=lambda: latencies.extend(home_page(port, stop)))
    reader.start()
    meanwhile()
    stop.set()
    reader.join()
    return latencies


def main():
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    repetitions = int(arguments[0]) if arguments else 10
    signing_only = "--signing-only" in sys.argv
    with tempfile.TemporaryDirectory() as directory:
        app = create_app({"OUTPUT_DIR": Path(directory) / "output",
                          "INSTANCE_DIR": Path(directory) / "instance"})
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=ROOT,
                       env={"WEBFORMS_INSTANCE_DIR": str(Path(directory) / "instance"),
                            "PATH": "/usr/bin:/bin"}, check=True, capture_output=True)
        converter, address = warm_converter(Path(directory))
        try:
            to_pdf(filled_registro(app), TIMEOUT, (address,))  # LibreOffice's first document
            if not signing_only:
                pdf_side_by_side(filled_registro(app), address, repetitions)
            signed_side_by_side(app, filled_registro(app), address, repetitions)
            if not signing_only:
                pack_side_by_side(app, address, repetitions)
        finally:
            converter.terminate()
            converter.wait(30)
        if not signing_only:
            under_load(app)


if __name__ == "__main__":
    main()
