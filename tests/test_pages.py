from html import unescape
from pathlib import Path

from tests.helpers import issue_through_page


def test_home_lists_each_form_with_code_and_version(client):
    page = unescape(client.get("/").get_data(as_text=True))
    assert '<html lang="es">' in page
    assert "Registro de la Reunión de Gestión de Casos" in page
    assert "F1.G34.P" in page
    assert 'href="/formularios/registro_reunion"' in page
    assert "<dt>Versión</dt><dd>3</dd>" in page


def test_pages_use_no_external_resources(client):
    for url in ("/", "/formularios/registro_reunion"):
        page = client.get(url).get_data(as_text=True)
        assert "http://" not in page and "https://" not in page


def test_health_reports_every_dependency(app, client):
    import tomllib

    from webforms.documents.pdf import pdf_available

    with (Path(app.config["DOC_TEMPLATES_DIR"]) / "catalogue.toml").open("rb") as handle:
        documents = len(tomllib.load(handle)["documents"])
    response = client.get("/healthz")
    pdf = "ok" if pdf_available() else "down: OSError"
    assert response.get_json()["dependencies"] == {"database": "ok", "storage": "ok",
                                                   "templates": "ok", "pdf": pdf, "jobs": "ok"}
    if pdf == "ok":
        assert response.status_code == 200
        assert response.get_json() | {} == {"status": "ok", "documents": documents,
                                            "dependencies": response.get_json()["dependencies"],
                                            "converter": "not running: PDFs start LibreOffice "
                                                         "for each conversion",
                                            "backup": {"last_good": None, "age_seconds": None}}


def test_security_headers_and_no_caching_of_records(client):
    from tests.helpers import REGISTRO_URL, valid_registro

    page = client.get("/")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    document = issue_through_page(client, REGISTRO_URL, data=valid_registro())
    assert document.headers["Cache-Control"] == "no-store"
    invalid = issue_through_page(client, REGISTRO_URL, data=valid_registro(supervisor_name=""))
    assert invalid.headers["Cache-Control"] == "no-store"
