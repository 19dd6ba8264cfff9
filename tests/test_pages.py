from html import unescape


def test_home_lists_each_form_with_code_and_version(client):
    page = unescape(client.get("/").get_data(as_text=True))
    assert '<html lang="es">' in page
    assert "Registro de la Reunión de Gestión de Casos" in page
    assert "F1.G34.P" in page
    assert 'href="/formularios/registro_reunion"' in page
    assert "<dt>Versión</dt><dd>1</dd>" in page


def test_pages_use_no_external_resources(client):
    for url in ("/", "/formularios/registro_reunion"):
        page = client.get(url).get_data(as_text=True)
        assert "http://" not in page and "https://" not in page


def test_health(app, client):
    documents = len(app.extensions["webforms.catalogue"].current().documents)
    assert documents >= 2
    assert client.get("/healthz").get_json() == {"status": "ok", "documents": documents}
