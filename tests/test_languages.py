"""Interface in es/en/fr/pt, documents in es/en, catalogs complete and up to date."""
import inspect
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import (
    REGISTRO_URL,
    body_text,
    header_rows,
    issue_through_page,
    labelled_value,
    open_docx,
    readable_text,
    valid_registro,
)
from webforms.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
LANGUAGES = ["en", "fr", "pt"]


def catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=language)


def msgids(messages) -> set:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in messages if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code and templates hold today, extracted as translators would."""
    target = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-c", "from babel.messages.frontend import main; main()",
                    "--quiet", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "ngettext:1,2",
                    "-o", str(target), "."], cwd=PROJECT_ROOT, check=True)
    with open(target, "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def awaiting(extracted) -> dict[str, set]:
    """By language, the messages that may wait for their translation: those found only in the
    files of documents the catalogue does not (yet) translate into it (a document is translated
    into a language once its entry has ``translations.<language>``). A new document can so be
    added in Spanish alone, its texts showing in Spanish until translated."""
    untranslated = {language: untranslated_documents(language) for language in LANGUAGES}
    owners = document_files()
    waiting = {language: set() for language in LANGUAGES}
    for message in extracted:
        keys = [owners.get(path) for path, _line in message.locations]
        if not message.id or not keys or None in keys:
            continue  # shared code, or no location: translated in every language
        for language in LANGUAGES:
            if all(key_set <= untranslated[language] for key_set in keys):
                waiting[language].add(msgids([message]).pop())
    return waiting


def untranslated_documents(language: str) -> set:
    from webforms.catalogue import load_catalogue

    return {document.key for document in load_catalogue(PROJECT_ROOT / "doc_templates")
            if language not in document.translations}


def document_files() -> dict[str, set]:
    """Each file that belongs to documents only (its form, its document context, its templates), relative to
    the project as Babel names them, with the keys of its documents."""
    from webforms.catalogue import load_catalogue
    from webforms.documents.contexts import CONTEXTS
    from webforms.forms import FORMS

    owners: dict[str, set] = {}

    def own(path, key):
        owners.setdefault(Path(path).resolve().relative_to(PROJECT_ROOT).as_posix(), set()).add(key)

    for document in load_catalogue(PROJECT_ROOT / "doc_templates"):
        for path in {document.template, *(c.template for c in document.changes if c.template)}:
            own(path, document.key)
        for registered in (FORMS.get(document.key), type(CONTEXTS.get(document.key))):
            if registered is not None and registered.__module__.startswith("webforms."):
                own(inspect.getsourcefile(registered), document.key)
    return owners


def test_the_committed_template_is_up_to_date(extracted, awaiting):
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        committed = read_po(handle)
    in_no_language = set.intersection(*awaiting.values())
    assert msgids(extracted) - msgids(committed) - in_no_language == set(), \
        "run pybabel extract (see docs/adding-a-document.md)"
    assert msgids(committed) - msgids(extracted) == set(), "run pybabel extract (see docs/adding-a-document.md)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(extracted, awaiting, language):
    messages = catalog(language)
    assert msgids(extracted) - msgids(messages) - awaiting[language] == set(), \
        f"run pybabel update for {language}"
    untranslated = [m.id for m in messages if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)
        and msgids([m]).pop() not in awaiting[language]]
    fuzzy = [m.id for m in messages if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in messages.check()]
    assert problems == []  # placeholders such as %(max)d kept in every translation


@pytest.mark.parametrize("language, samples", [
    ("en", ["Available forms", "Case Management Meeting Record", "Master list", "Trainers"]),
    ("fr", ["Formulaires disponibles", "Compte rendu de la réunion de gestion de cas",
            "Liste maîtresse", "Formateurs"]),
    ("pt", ["Formulários disponíveis", "Registro da Reunião de Gestão de Casos",
            "Lista mestra", "Formadores"]),
])
def test_home_page_in_each_language(client, language, samples):
    client.set_cookie("lang", language)
    page = unescape(client.get("/").get_data(as_text=True))
    assert f'<html lang="{language}">' in page
    for sample in samples:
        assert sample in page
    for spanish in ("Formularios disponibles", "Listado maestro", "Fecha de emisión"):
        assert spanish not in page


@pytest.mark.parametrize("language, labels", [
    ("en", ["Supervisor's name", "Social Workers Present", "Welcome, opening and check-in",
            "Number of open cases", "Review and issue", "required"]),
    ("fr", ["Nom du superviseur", "Travailleurs sociaux présents", "Accueil, ouverture et inscription",
            "Nombre de cas ouverts", "Vérifier et émettre", "obligatoire"]),
    ("pt", ["Nome do Supervisor", "Assistentes Sociais Presentes",
            "Boas-vindas, abertura e registro", "Número de casos abertos", "Revisar e emitir",
            "obrigatório"]),
])
def test_form_page_in_each_language(client, language, labels):
    client.set_cookie("lang", language)
    page = unescape(client.get(REGISTRO_URL).get_data(as_text=True))
    for label in labels:
        assert label in page
    for spanish in ("Nombre del Supervisor", "Trabajadores Sociales Presentes",
                    "Bienvenida, apertura y registro", "obligatorio)", "Revisar y emitir",
                    "El supervisor saluda al equipo"):
        assert spanish not in page


@pytest.mark.parametrize("language, message", [
    ("en", "This field is required."), ("fr", "Ce champ est obligatoire."),
    ("pt", "Este campo é obrigatório."),
])
def test_errors_in_each_language(client, language, message):
    client.set_cookie("lang", language)
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(supervisor_name=""))
    assert response.status_code == 400
    assert message in unescape(response.get_data(as_text=True))


def test_browser_preference_decides_without_a_cookie(client):
    page = client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9"}).get_data(as_text=True)
    assert '<html lang="pt">' in page
    page = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert '<html lang="es">' in page


def test_language_switcher_remembers_the_choice(client):
    response = client.get("/idioma/fr?next=/formularios/registro_reunion")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/formularios/registro_reunion")
    assert "lang=fr" in response.headers["Set-Cookie"]
    page = client.get(REGISTRO_URL).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert client.get("/idioma/de").status_code == 404
    assert client.get("/idioma/en?next=//evil.example").headers["Location"] == "/"


def test_every_page_offers_the_switcher(client):
    for url in ("/", REGISTRO_URL, "/documentos", "/verificar", "/formadores/"):
        page = client.get(url).get_data(as_text=True)
        for code in ("es", "en", "fr", "pt"):
            assert f'hreflang="{code}"' in page or f'aria-current="true" lang="{code}"' in page


def test_document_language_defaults_to_the_interface_language(client):
    client.set_cookie("lang", "en")
    page = client.get(REGISTRO_URL).get_data(as_text=True)
    assert '<input checked id="document_language-1" name="document_language"' in page
    client.set_cookie("lang", "fr")  # no French documents: Spanish
    page = client.get(REGISTRO_URL).get_data(as_text=True)
    assert '<input checked id="document_language-0" name="document_language"' in page


def test_a_document_in_english_has_english_texts_and_the_same_values(client):
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(document_language="en"))
    assert response.status_code == 200
    document = open_docx(response.data)
    assert header_rows(document)[1][1:3] == ["CASE MANAGEMENT MEETING RECORD", "Version 3"]
    assert header_rows(document)[0][1] == "PROTECTION PROCESS"
    assert header_rows(document)[1][3].startswith("Page ") and " of " in header_rows(document)[1][3]
    assert labelled_value(document, "Supervisor's name") == "Marta Gómez"
    assert labelled_value(document, "Date") == "20 November 2026"
    assert labelled_value(document, "Duration") == "1 h 15 min"
    text = body_text(document)
    assert "Welcome, opening and check-in" in text
    assert "The supervisor welcomes the team" in text
    assert "“need to know” principle" in text
    assert "Cerró dos planes de caso con la familia." in text  # typed values are not translated
    assert "Bienvenida, apertura y registro" not in text
    footer = [p.text for p in document.sections[0].footer.paragraphs]
    assert "Any printed copy of this document is considered an UNCONTROLLED COPY." in footer
    assert "Case Management Meeting Record" in response.headers["Content-Disposition"]


def test_a_document_in_spanish_from_an_english_interface(client):
    client.set_cookie("lang", "en")
    response = issue_through_page(client, REGISTRO_URL, data=valid_registro(document_language="es"))
    document = open_docx(response.data)
    assert labelled_value(document, "Nombre del Supervisor") == "Marta Gómez"
    assert labelled_value(document, "Fecha") == "20 de noviembre de 2026"


def test_tor_and_checklist_in_english(client):
    from tests.helpers import TDR_URL, valid_tdr

    document = open_docx(issue_through_page(client, TDR_URL, data=valid_tdr(
        client, document_language="en", modality="foster_care")).data)
    text = body_text(document)
    assert "Best Interests Procedure" in text
    assert "Responsibilities:" in text and "Requirements:" in text
    assert "Self-awareness." in text
    assert "Guide the fulfilment of actions to strengthen foster families." in text
    assert labelled_value(document, "Start date") == "15 January 2027"


def test_dates_are_formatted_per_locale_on_pages(app, client):
    issued = app.extensions["webforms.catalogue"].current().get("registro_reunion").issued
    client.set_cookie("lang", "en")
    expected = f"{issued.day} {issued:%b} {issued.year}"  # British English: "22 Nov 2026"
    assert f"<dd>{expected}</dd>" in client.get("/").get_data(as_text=True)
    client.set_cookie("lang", "fr")
    page = client.get("/documentos").get_data(as_text=True)
    assert "nov. 2026" in page


def test_the_change_history_follows_the_document_language_from_frame_revision_2(app, client):
    """Version 3 of the Registro is printed in frame revision 2: its change history in the
    document's language. Version 2 keeps revision 1 (a Spanish history), as its copies were
    issued, so they still reproduce byte for byte."""
    from webforms.common.catalogue import catalogue

    with app.app_context():
        english = catalogue().get("registro_reunion").localized("en")
    assert english.frame_for(2) == 1 and english.frame_for(3) == 2
    assert [text for _, _, text in english.history(2)] == [
        change.description for change in english.changes[:2]]
    translated = [change.translations["en"] for change in english.changes]
    assert [text for _, _, text in english.history(3)] == translated
    document = open_docx(issue_through_page(client, REGISTRO_URL, data=valid_registro(
        document_language="en")).data)
    history = next(table for table in document.tables
                   if [cell.text for cell in table.rows[0].cells] == [
                       "Date", "Version", "Description of the change"])
    assert [row.cells[2].text for row in history.rows[1:]] == translated


# Words of Flask-Security-Too's and zxcvbn's English that a Spanish page must not show.
ENGLISH = re.compile(r"\b(the|your|you|please|password|passwords|enter|code|sign in|log ?in|"
                     r"submit|remember|authentication|two-factor|common|guess|setup|verify)\b",
                     re.IGNORECASE)
# The familiar "tú" (its pronouns and the imperatives of the library's Spanish): the interface
# addresses its users as "usted".
FAMILIAR = re.compile(r"\b(tu|tus|te|ti|tienes|puedes|debes|has|estás|recuérdame|introduce|"
                      r"ingresa|escribe|abre|escanea|inicia|vuelve|confirma|haz|autenticarte)\b",
                      re.IGNORECASE)


def account_pages(app) -> dict[str, str]:
    """Every account page as a Spanish reader meets it, by name: signing in (and failing),
    changing the password to a common one, confirming who one is, setting up two-step
    verification, typing its code, the sessions."""
    from tests.accounts import PASSWORD, ROLE_ACCOUNTS, TEAM_MEMBER, enable_two_step
    from tests.helpers import sign_in

    visitor, member = app.test_client(), sign_in(app.test_client(), TEAM_MEMBER)
    enable_two_step(app, ROLE_ACCOUNTS["formador"])
    with_code = sign_in(app.test_client(), ROLE_ACCOUNTS["formador"])
    common = "password1234"
    pages = {
        "sign-in": visitor.get("/cuenta/ingresar"),
        "sign-in refused": visitor.post("/cuenta/ingresar", data={
            "email": TEAM_MEMBER, "password": "not this one"}),
        "change password": member.get("/cuenta/cambiar-clave"),
        "common password": member.post("/cuenta/cambiar-clave", data={
            "password": PASSWORD, "new_password": common, "new_password_confirm": common}),
        "verify": member.get("/cuenta/verify"),
        "verified": member.post("/cuenta/verify", data={"password": PASSWORD},
                                follow_redirects=True),
        "two-step setup": member.post("/cuenta/dos-pasos", data={"setup": "authenticator"}),
        "two-step code": with_code.get("/cuenta/dos-pasos/codigo"),
        "wrong code": with_code.post("/cuenta/dos-pasos/codigo", data={"code": "12"}),
        "sessions": member.get("/cuenta/sesiones"),
    }
    assert {name: page.status_code for name, page in pages.items()} == dict.fromkeys(pages, 200)
    return {name: readable_text(page.get_data(as_text=True)) for name, page in pages.items()}


def test_account_pages_in_spanish_have_no_english_left(app):
    pages = account_pages(app)
    assert "Es una contraseña muy común." in pages["common password"]
    assert "Verificación en dos pasos" in pages["two-step code"]
    english = {name: ENGLISH.findall(text) for name, text in pages.items()}
    assert {name: words for name, words in english.items() if words} == {}


def test_account_pages_address_the_reader_as_usted(app):
    familiar = {name: FAMILIAR.findall(text) for name, text in account_pages(app).items()}
    assert {name: words for name, words in familiar.items() if words} == {}


@pytest.mark.parametrize("language, sample", [
    ("en", "This is a very common password."), ("fr", "C'est un mot de passe très courant."),
    ("pt", "Esta é uma senha muito comum.")])
def test_a_refused_password_says_why_in_each_language(client, language, sample):
    from tests.accounts import PASSWORD

    client.set_cookie("lang", language)
    page = client.post("/cuenta/cambiar-clave", data={
        "password": PASSWORD, "new_password": "password1234",
        "new_password_confirm": "password1234"}).get_data(as_text=True)
    assert sample in unescape(page)


def test_every_warning_zxcvbn_gives_has_a_translation():
    import ast

    import zxcvbn.feedback

    from webforms.accounts.password_feedback import ZXCVBN_WARNINGS

    def warning_text(node) -> str | None:  # _("…") given as a warning
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_":
            return node.args[0].value
        return None

    found = set()
    for node in ast.walk(ast.parse(Path(zxcvbn.feedback.__file__).read_text())):
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "warning":
            found.add(warning_text(node.value))
        if isinstance(node, ast.Dict):
            found |= {warning_text(value) for key, value in zip(node.keys, node.values)
                      if getattr(key, "value", None) == "warning"}
    found.discard(None)
    assert len(found) >= 14 and found <= set(ZXCVBN_WARNINGS), found - set(ZXCVBN_WARNINGS)
