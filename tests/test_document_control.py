"""Document control: template checks, new versions, document numbers, master list, verification."""
import datetime as dt
import multiprocessing
import re
import tomllib
from pathlib import Path

import docx
import pytest
import tomlkit

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.helpers import (
    REGISTRO_URL,
    body_text,
    edited_copy,
    header_rows,
    in_body,
    issue_through_page,
    open_docx,
    register_number,
    sign_in,
    valid_registro,
)
from webforms import create_app
from webforms.catalogue import load_catalogue
from webforms.config import PROJECT_ROOT
from webforms.control.service import check_document
from webforms.documents.checks import frame_problems
from webforms.documents.engine import template_sha256
from webforms.storage import DocumentRegister

SHIPPED = PROJECT_ROOT / "doc_templates"
REGISTRO = "registro_reunion"


def registro_entry(templates_dir: Path = SHIPPED):
    """The Registro as the catalogue in ``templates_dir`` describes it."""
    return load_catalogue(templates_dir).get(REGISTRO)


def current_template(templates_dir: Path = SHIPPED) -> Path:
    """The .docx of the Registro's current version, as named by the catalogue."""
    return registro_entry(templates_dir).template


def declare_as_registered(templates_dir: Path, template: Path) -> None:
    """Record ``template``'s hash as that of the Registro's current version, as if the file had
    been registered so (otherwise the check stops at "the file changed after its version was
    registered" and never reads the tags)."""
    path = templates_dir / "catalogue.toml"
    text = tomlkit.parse(path.read_text("utf-8"))
    entry = text["documents"][REGISTRO]
    change = next(c for c in entry["changes"] if c["version"] == entry["version"])
    change["sha256"] = template_sha256(template)
    path.write_text(tomlkit.dumps(text), "utf-8")


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by relative path, with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def control_app(tmp_path, templates_dir):
    return create_app({"TESTING": True, **TEST_KEYS, "WTF_CSRF_ENABLED": False,
                       "TWO_FACTOR_FOR_ADMINS": False,
                       "OUTPUT_DIR": tmp_path / "out", "DOC_TEMPLATES_DIR": templates_dir,
                       **database_config(tmp_path)})


def run_cli(app, *args):
    return app.test_cli_runner().invoke(args=["templates", *args])


def test_shipped_templates_pass_the_check(control_app):
    result = run_cli(control_app, "check")
    assert result.exit_code == 0, result.output
    with control_app.app_context():
        from webforms.common.catalogue import catalogue
        assert result.output.count("✓") == len(catalogue().documents)
        assert result.output.count("✗") == 0


@pytest.mark.parametrize("edit, part, tag, message", [
    (in_body("{{ supervisor_name }}", "{{ supervisor_name "), "cuerpo", "",
     "La etiqueta no es válida"),
    (in_body("{{ supervisor_name }}", "{{ supervisor_name|default(“x”) }}"), "cuerpo",
     "{{ supervisor_name|default(“x”) }}", "comillas tipográficas"),
    (in_body("{{ supervisor_name }}", "{{ supervisor_nam }}"), "cuerpo", "{{ supervisor_nam }}",
     "El formulario no tiene este dato"),
    (in_body("{{ supervisor_name }}", "Nombre"), "cuerpo", "{{ supervisor_name }}",
     "Falta el campo «supervisor_name» del formulario"),
    (in_body("{{ worker.success }}", "{{ worker.sucess }}"), "cuerpo", "{{ worker.sucess }}",
     "El grupo de filas «workers» no tiene el campo «sucess»"),
    (in_body("{{ worker.success }}", ""), "cuerpo", "{{ worker.success }}",
     "El grupo de filas «workers» no muestra el campo «success»: sus datos se perderían"),
    (lambda name, text: text.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml"), "archivo", "", "macros"),
    (lambda name, text: text.replace(
        'Target="styles.xml"/>', 'Target="styles.xml"/><Relationship Id="rIdX" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
        'Target="http://example.org/x" TargetMode="External"/>')
     if name == "word/_rels/document.xml.rels" else text,
     "word/_rels/document.xml.rels", "http://example.org/x", "vínculo externo"),
])
def test_check_names_template_part_and_tag(document_app, templates_dir, edit, part, tag,
                                           message):
    """The checker `templates check` runs (its command is run by the test above), called on
    the Registro alone: the other templates have their own test."""
    template = current_template(templates_dir)
    edited_copy(current_template(), template, edit)
    declare_as_registered(templates_dir, template)
    with document_app.test_request_context():
        problems = [str(problem) for problem in check_document(registro_entry(templates_dir))]
    assert problems  # `templates check` exits with 1
    line = next(line for line in problems if message in line)
    assert line.strip().startswith(f"{template.name} · {part}")
    if tag:
        assert f" · {tag}:" in line


def test_frame_check_reports_a_missing_page_field():
    document = docx.Document()
    document.sections[0].header.add_paragraph("F1.G34.P Página 1 de 1")
    problems = [str(p) for p in frame_problems("x.docx", document, "F1.G34.P")]
    assert problems == ["x.docx · encabezado · PAGE: Falta el campo de Word PAGE («Página X de Y»).",
                        "x.docx · encabezado · NUMPAGES: Falta el campo de Word NUMPAGES "
                        "(«Página X de Y»)."]


def test_generated_documents_pass_the_frame_check(client):
    document = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    assert frame_problems("registro", document, "F1.G34.P") == []


def revised_registro(tmp_path) -> Path:
    return edited_copy(current_template(), tmp_path / "revised.docx",
                       in_body("Datos de la reunión", "Datos generales de la reunión"))


def test_new_version_keeps_the_old_one_reproducible(control_app, templates_dir, tmp_path):
    from webforms.common.catalogue import catalogue
    from webforms.common.rendering import branding, frame_texts
    from webforms.documents import render_document
    from webforms.documents.contexts import CONTEXTS
    from webforms.forms import FORMS

    def render(version):
        with control_app.test_request_context(REGISTRO_URL, method="POST",
                                              data=valid_registro()):
            form = FORMS["registro_reunion"](meta={"csrf": False})
            assert form.validate()
            document = catalogue().get("registro_reunion")
            rendered = render_document(document, CONTEXTS[document.key].context(form, "es"), branding(),
                                       frame_texts(), version=version,
                                       generated_at=dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc))
            return open_docx(rendered.data)

    shipped = registro_entry()
    assert shipped.version == 3
    # Versions 1 and 2 (kept) and version 3 (current, about to be replaced), as they render now.
    before = {version: render(version) for version in (1, 2, 3)}
    old_files = {path: (SHIPPED / path).read_bytes()
                 for path in ("registro_reunion.docx", "versions/registro_reunion/v2.docx",
                              "versions/registro_reunion/v3.docx")}
    result = run_cli(control_app, "new-version", "F1.G34.P", str(revised_registro(tmp_path)),
                     "--change", "Se renombra la sección de datos.", "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "F1.G34.P versión 4" in result.output

    catalogue_data = tomllib.loads((templates_dir / "catalogue.toml").read_text("utf-8"))
    entry = catalogue_data["documents"]["registro_reunion"]
    assert entry["version"] == 4 and entry["issued"] == dt.date(2026, 12, 1)
    assert [c["version"] for c in entry["changes"]] == [1, 2, 3, 4]
    # The new file is stored under its own name; the old ones stay as they were, named in the
    # history with their hashes, for reproduction.
    assert entry["template"] == "versions/registro_reunion/v4.docx"
    assert [c.get("template") for c in entry["changes"]] == [
        "registro_reunion.docx", "versions/registro_reunion/v2.docx",
        "versions/registro_reunion/v3.docx", None]
    assert [c["sha256"] for c in entry["changes"][:3]] == [c.sha256 for c in shipped.changes]
    assert entry["changes"][-1]["frame"] == 2  # a new version is printed in the current frame
    for path, data in old_files.items():
        assert (templates_dir / path).read_bytes() == data, path
    assert (templates_dir / entry["template"]).read_bytes() == revised_registro(tmp_path).read_bytes()
    assert "# Catalogue of controlled documents" in (templates_dir / "catalogue.toml").read_text()

    for version, document in before.items():
        after = render(version)
        assert body_text(after) == body_text(document), version
        assert header_rows(after) == header_rows(document), version
        assert "Datos generales de la reunión" not in body_text(after)

    # New documents use version 4, and say so.
    client = sign_in(control_app.test_client(), TEAM_MEMBER)
    document = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    assert header_rows(document)[1][2] == "Versión 4"
    assert "Datos generales de la reunión" in body_text(document)
    changes = [t for t in document.tables if t.rows[0].cells[0].text == "Fecha"
               and len(t.columns) == 3][-1]
    assert [row.cells[2].text for row in changes.rows[1:]] == [
        *(change.description for change in shipped.changes), "Se renombra la sección de datos."]

    # Editing the registered file without a new version is caught.
    edited_copy(revised_registro(tmp_path), templates_dir / entry["template"],
                in_body("Próxima reunión", "Siguiente reunión"))
    result = run_cli(control_app, "check")
    assert result.exit_code == 1
    assert "cambió después de registrarse su versión 4" in result.output


def test_a_request_during_a_new_version_sees_one_whole_version(control_app, templates_dir,
                                                                 tmp_path, monkeypatch):
    """Up to the catalogue switch, requests get the current version (3) with its template; if the
    switch fails, that stays so and nothing earlier was overwritten."""
    from webforms.control import service as control

    client = sign_in(control_app.test_client(), TEAM_MEMBER)
    seen = []
    real_write = control.write_atomically

    def switch_that_fails(target, data):
        if Path(target).name != "catalogue.toml":
            return real_write(target, data)
        document = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
        seen.append((header_rows(document)[1][2], "Datos generales de la reunión"
                     in body_text(document)))
        raise OSError("disk full")

    monkeypatch.setattr(control, "write_atomically", switch_that_fails)
    files_before = files(templates_dir)
    with pytest.raises(OSError), control_app.app_context():
        control.add_version("F1.G34.P", revised_registro(tmp_path), "Se renombra la sección.")
    assert seen == [("Versión 3", False)]  # the old version, whole, while the new one was stored
    assert (templates_dir / "versions/registro_reunion/v4.docx").is_file()  # stored, not used
    files_after = files(templates_dir)
    assert {path: files_after.get(path) for path in files_before} == files_before
    document = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    assert header_rows(document)[1][2] == "Versión 3"
    assert "Datos generales de la reunión" not in body_text(document)


def test_a_failing_revision_is_refused_and_nothing_changes(control_app, templates_dir, tmp_path):
    files_before = files(templates_dir)
    broken = edited_copy(current_template(), tmp_path / "broken.docx",
                         in_body("{{ supervisor_name }}", "{{ supervisor_name "))
    result = run_cli(control_app, "new-version", "F1.G34.P", str(broken), "--change", "x")
    assert result.exit_code == 1
    assert "no se registró" in result.output
    # Catalogue and every template as they were, and no file stored for a version 3.
    assert files(templates_dir) == files_before
    assert not (templates_dir / "versions/registro_reunion/v4.docx").exists()


def test_unknown_code_is_refused(control_app, tmp_path):
    result = run_cli(control_app, "new-version", "F99.X", str(revised_registro(tmp_path)),
                     "--change", "x")
    assert result.exit_code == 1
    assert "No hay ningún documento con el código F99.X" in result.output


def test_each_copy_gets_a_number_in_footer_properties_and_register(app, client):
    from webforms.common.catalogue import catalogue

    with app.app_context():
        current = catalogue().get("registro_reunion")
    first = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    second = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    year = dt.date.today().year
    assert first.core_properties.identifier == f"F1.G34.P-{year}-000001"
    assert second.core_properties.identifier == f"F1.G34.P-{year}-000002"
    footer = [p.text for p in second.sections[0].footer.paragraphs]
    assert any(line.startswith(f"Documento N.º F1.G34.P-{year}-000002 · código de verificación ")
               and f"plantilla versión {current.version}" in line for line in footer), footer
    assert "sha256" in second.core_properties.comments
    with app.app_context():
        issued = DocumentRegister().find(f"F1.G34.P-{year}-000002")
    assert issued.version == current.version
    assert issued.template_sha256 == template_sha256(current.template)


def _issue_many(config, count, results):
    app = create_app(config)
    now = dt.datetime(2026, 11, 22, tzinfo=dt.timezone.utc)
    with app.app_context():
        results.extend([register_number("F1.G34.P", "registro_reunion", 1, "0" * 64, now).number
                        for _ in range(count)])


def test_numbers_stay_unique_across_processes(tmp_path):
    config = {**TEST_KEYS, **database_config(tmp_path)}
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        results = manager.list()
        workers = [context.Process(target=_issue_many, args=(config, 25, results))
                   for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
            assert worker.exitcode == 0
        numbers = list(results)
    assert len(numbers) == 100 == len(set(numbers))
    assert sorted(numbers) == [f"F1.G34.P-2026-{n:06d}" for n in range(1, 101)]


def footer_number_and_code(document) -> tuple[str, str]:
    """The number and check code as the copy prints them in its footer."""
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    match = re.search(r"N\.º (\S+) · código de verificación ([A-Z2-7]{4}-[A-Z2-7]{4})", footer)
    assert match, footer
    return match.group(1), match.group(2)


def test_verification_page_finds_a_number_and_shows_no_content(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(supervisor_name="Marta Secreta"))
    document = open_docx(response.data)
    number, code = footer_number_and_code(document)
    assert number == document.core_properties.identifier
    page = client.get("/verificar", query_string={"numero": number.lower(),
                                                  "codigo": code.lower().replace("-", " ")})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert number in text and "Versión de la plantilla" in text
    assert "Registro de la Reunión de Gestión de Casos" in text
    assert "Marta Secreta" not in text


def test_a_number_without_its_code_is_not_confirmed(client):
    """Numbers are sequential: knowing one says nothing about the next without its code."""
    documents = [open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
                 for _ in range(2)]
    (first, first_code), (second, second_code) = map(footer_number_and_code, documents)
    assert first_code != second_code
    for number, code in ((second, ""), (second, first_code), (second, "AAAA-AAAA")):
        page = client.get("/verificar", query_string={"numero": number, "codigo": code})
        assert page.status_code == 404
        assert "Versión de la plantilla" not in page.get_data(as_text=True)


def test_verification_is_rate_limited_per_address(app, client):
    app.config["VERIFY_RATE_LIMIT"] = "5 per minute"
    statuses = [client.get("/verificar", query_string={"numero": f"F1.G34.P-2026-{n:06d}",
                                                        "codigo": "AAAA-AAAA"}).status_code
                for n in range(1, 9)]
    assert statuses == [404] * 5 + [429] * 3
    page = client.get("/verificar", query_string={"numero": "F1.G34.P-2026-000001"})
    assert "Demasiadas solicitudes" in page.get_data(as_text=True)
    other = client.get("/verificar", environ_base={"REMOTE_ADDR": "10.1.2.3"},
                       query_string={"numero": "F1.G34.P-2026-000001"})
    assert other.status_code == 404  # another address has its own count


def test_the_rate_limit_is_shared_by_every_worker(app, client):
    """Counters live in a file beside the register, not in one process's memory."""
    from webforms.storage.limits import SQLiteLimitStorage

    assert app.config["RATELIMIT_STORAGE_URI"].startswith("webforms+sqlite://")
    path = app.config["RATELIMIT_STORAGE_URI"].split("://", 1)[1]
    one, other = SQLiteLimitStorage("webforms+sqlite://" + path), SQLiteLimitStorage(
        "webforms+sqlite://" + path)
    assert one.incr("k", 60) == 1 and other.incr("k", 60) == 2 and one.get("k") == 2


def test_a_counters_file_opened_by_several_workers_at_once_is_set_up_all_the_same(tmp_path):
    """Workers opening a new file at the same moment: a journal-mode change that meets another
    connection gets "database is locked" at once (it once turned a sign-in into an error page);
    the set-up tries again instead."""
    import sqlite3

    from webforms.storage import limits

    real = sqlite3.connect(tmp_path / "limits.sqlite3", isolation_level=None)
    calls = []

    class MetAnotherWorker:
        def execute(self, statement, *parameters):
            calls.append(statement)
            if len(calls) == 1:
                raise sqlite3.OperationalError("database is locked")
            return real.execute(statement, *parameters)

    limits.set_up(MetAnotherWorker())
    assert real.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert real.execute("SELECT COUNT(*) FROM counters").fetchone() == (0,)
    assert len(calls) >= 3


@pytest.mark.parametrize("number", ["F1.G34.P-2026-999999", "inventado", "<script>x</script>"])
def test_verification_refuses_made_up_numbers(client, number):
    page = client.get("/verificar", query_string={"numero": number})
    assert page.status_code == 404
    assert "No se encontró ningún documento" in page.get_data(as_text=True)
    assert "<script>x" not in page.get_data(as_text=True)


def test_master_list(app, client):
    page = client.get("/documentos").get_data(as_text=True)
    codes = [document.code for document in app.extensions["webforms.catalogue"].current()]
    for code in codes:
        assert f'<td data-label="Código">{code}</td>' in page
    assert page.count('<td data-label="Código">') == len(codes)
    assert "Vigente" in page and "Control de cambios" in page
    assert "Creación del formato" in page


def test_obsolete_documents_are_listed_but_not_offered(control_app, templates_dir):
    path = templates_dir / "catalogue.toml"
    path.write_text(path.read_text("utf-8").replace(
        'code = "F4.G34.P"', 'code = "F4.G34.P"\nstatus = "obsoleto"'),
        "utf-8")
    client = sign_in(control_app.test_client(), TEAM_MEMBER)
    assert "Obsoleto" in client.get("/documentos").get_data(as_text=True)
    assert "/formularios/mesa_interna" not in client.get("/").get_data(as_text=True)
    assert client.get("/formularios/mesa_interna").status_code == 404


def test_catalogue_changes_are_picked_up_without_restart(control_app, templates_dir):
    client = sign_in(control_app.test_client(), TEAM_MEMBER)
    path = templates_dir / "catalogue.toml"
    path.write_text(path.read_text("utf-8").replace(
        'title = "Registro de la Reunión de Gestión de Casos"',
        'title = "Registro de la Reunión del Equipo"'), "utf-8")
    assert "Registro de la Reunión del Equipo" in client.get("/").get_data(as_text=True)


def test_copies_record_template_hash_in_the_embedded_record(app, client):
    from webforms.common.catalogue import catalogue
    from webforms.documents.embedded_data import read_embedded_data

    with app.app_context():
        current = catalogue().get("registro_reunion")
    record = read_embedded_data(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    assert re.fullmatch(r"[0-9a-f]{64}", record["template_sha256"])
    assert record["template_sha256"] == template_sha256(current.template)
    assert record["version"] == current.version and record["number"].startswith("F1.G34.P-")


def test_an_old_document_is_reproduced_with_the_template_that_produced_it(control_app, tmp_path):
    client = sign_in(control_app.test_client(), TEAM_MEMBER)
    original_bytes = issue_through_page(client, REGISTRO_URL, data=valid_registro(
        document_language="en", complex_cases="Caso GC-7: en espera de cupo.")).data
    original = open_docx(original_bytes)
    source = tmp_path / "issued.docx"
    source.write_bytes(original_bytes)
    assert run_cli(control_app, "new-version", "F1.G34.P", str(revised_registro(tmp_path)),
                   "--change", "Revisión").exit_code == 0

    target = tmp_path / "reproduced.docx"
    result = run_cli(control_app, "reproduce", str(source), str(target))
    assert result.exit_code == 0, result.output
    reproduced = open_docx(target.read_bytes())
    assert body_text(reproduced) == body_text(original)
    assert header_rows(reproduced) == header_rows(original)
    assert [p.text for p in reproduced.sections[0].footer.paragraphs] == [
        p.text for p in original.sections[0].footer.paragraphs]
    assert reproduced.core_properties.identifier == original.core_properties.identifier
    assert "Datos generales de la reunión" not in body_text(reproduced)


def test_reproduction_refuses_a_file_without_record(control_app, tmp_path):
    source = tmp_path / "plain.docx"
    docx.Document().save(source)
    result = run_cli(control_app, "reproduce", str(source), str(tmp_path / "out.docx"))
    assert result.exit_code == 1
    assert "no contiene los datos" in result.output


def test_footer_and_verification_page_give_one_time_in_the_configured_zone(app, client):
    document = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro()).data)
    number, code = footer_number_and_code(document)
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    zone = app.config["BABEL_DEFAULT_TIMEZONE"]
    when = re.search(r"generado el (\d{4}-\d\d-\d\d \d\d:\d\d) \(([^)]+)\)", footer)
    assert when and when.group(2) == zone
    page = client.get("/verificar", query_string={"numero": number, "codigo": code})
    assert f"{when.group(1)} ({zone})" in page.get_data(as_text=True)
    assert "sha256" in document.core_properties.comments  # the template's hash: in the properties
