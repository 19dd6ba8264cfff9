"""Benchmark: how long documents take to generate.

The Registro, typical and at the input limits, and a batch of 300 ToR from a spreadsheet.

Run: ``.venv/bin/python tools/benchmark_render.py [repetitions]``. It posts through the Flask test
client (validation, rendering, controlled frame, saving a copy), so it measures what a user waits
for, minus the network. Numbers are printed, never asserted: performance is tracked here, not in
the test suite.
"""
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook  # noqa: E402

from tests.helpers import REGISTRO_URL, valid_registro  # noqa: E402
from webforms import create_app  # noqa: E402
from webforms.batch import columns  # noqa: E402
from webforms.forms import FORMS  # noqa: E402
from webforms.forms.fields import BLOCK_MAX, BLOCK_MAX_LINES  # noqa: E402


def text_at_limit(characters: int, lines: int) -> str:
    """The longest text a field accepts: ``lines`` lines adding up to ``characters``."""
    line = "x" * (characters // lines - 1)
    return "\n".join([line] * lines)


def worst_case() -> dict:
    """Every text field at its limits: the most rows, lines and characters a request may carry."""
    data = valid_registro()
    for name in ("welcome_notes", "management_notes", "development_notes", "support_notes",
                 "closing_notes", "complex_cases", "next_meeting_programme"):
        data[name] = text_at_limit(BLOCK_MAX, BLOCK_MAX_LINES)
    for index in range(40):
        data[f"workers-{index}-name"] = f"Trabajador {index}"
        data[f"workers-{index}-success"] = text_at_limit(2000, 30)
        data[f"workers-{index}-challenges"] = text_at_limit(2000, 30)
    return data


def measure(client, data, repetitions):
    timings = []
    for _ in range(repetitions):
        start = time.perf_counter()
        response = client.post(REGISTRO_URL, data=data)
        timings.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"expected a document, got HTTP {response.status_code}")
    return timings, len(response.data)


def batch_of_tor(client, rows: int = 300) -> tuple[float, int]:
    """Seconds from upload to finished ZIP for ``rows`` ToR, and the ZIP's size."""
    form_class = FORMS["tdr_gestor_casos"]
    workbook = Workbook()
    sheet = workbook.active
    cols = columns(form_class)
    sheet.append([label for _, label in cols])
    example = dict(form_class.batch_example[0])
    for number in range(rows):
        example["case_manager_name"] = f"Persona {number}"
        sheet.append([example.get(name, "") for name, _ in cols])
    data = io.BytesIO()
    workbook.save(data)

    start = time.perf_counter()
    response = client.post("/formularios/tdr_gestor_casos/lote/",
                           data={"spreadsheet": (io.BytesIO(data.getvalue()), "intake.xlsx")},
                           content_type="multipart/form-data")
    status_url = response.headers["Location"]
    while "Descargar el ZIP" not in client.get(status_url).get_data(as_text=True):
        time.sleep(0.1)
    elapsed = time.perf_counter() - start
    return elapsed, len(client.get(status_url + "/zip").data)


def main():
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as output:
        app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "OUTPUT_DIR": output, "DATABASE": f"{output}/register.sqlite3"})
        client = app.test_client()
        for name, data in (("typical", valid_registro()), ("at the limits", worst_case())):
            timings, size = measure(client, data, repetitions)
            print(f"{name:>14}: median {statistics.median(timings) * 1000:7.1f} ms, "
                  f"max {max(timings) * 1000:7.1f} ms, {size / 1024:6.1f} KiB "
                  f"({repetitions} runs)")
        with app.app_context():  # the column headers are the form's translated labels
            seconds, size = batch_of_tor(client)
        print(f"{'300 ToR batch':>14}: {seconds:7.1f} s upload to ZIP, {size / 1024:6.1f} KiB")


if __name__ == "__main__":
    main()
