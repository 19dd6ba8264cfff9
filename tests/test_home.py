"""The home page of each role: only the forms and pages the user may open, with their next
steps; the public pages for everyone; no link that answers "not allowed"."""
import re
from urllib.parse import urlsplit

import pytest

from tests.accounts import ACCOUNTS, ROLE_ACCOUNTS, TEAM_MEMBER
from tests.helpers import REGISTRO_URL, issue_through_page, page_links, sign_in, valid_registro
from webforms.forms import FORMS
from webforms.storage.models import ROLES

ANONYMOUS = "anonymous"
FORM_LINK = re.compile(r"^/formularios/([a-z_]+)$")


@pytest.fixture
def team_work(app, client):
    """The team has an issued Registro and a draft of another, both by the team member."""
    assert issue_through_page(client, REGISTRO_URL, data=valid_registro()).status_code == 200
    draft = issue_through_page(client, REGISTRO_URL, data={"supervisor_name": "Marta", "save": "draft"})
    assert draft.status_code == 303
    return app


def person(app, who):
    client = app.test_client()
    if who == ANONYMOUS:
        return client
    assert who in ROLE_ACCOUNTS, f"tests/accounts.py has no account for the role {who}"
    return sign_in(client, ROLE_ACCOUNTS[who])


def own_links(page: str) -> list[str]:
    """The page's links to this site (not the page's own anchors), each once."""
    links = [href for href in page_links(page) if not href.startswith("#")]
    assert all(not urlsplit(href).netloc for href in links), links
    return list(dict.fromkeys(links))


@pytest.mark.parametrize("who", [ANONYMOUS, *ROLES])
def test_every_link_of_each_roles_home_page_opens(team_work, who, monkeypatch):
    monkeypatch.setattr("webforms.trainers.materials.pdf_available", lambda: False)
    client = person(team_work, who)
    links = own_links(client.get("/").get_data(as_text=True))
    refused = {href: status for href in links
               if (status := client.get(href).status_code) in (403, 404, 500)}
    assert refused == {}, who


@pytest.mark.parametrize("who", [ANONYMOUS, *ROLES])
def test_the_home_page_offers_exactly_the_forms_of_the_users_roles(app, who):
    client = person(app, who)
    page = client.get("/").get_data(as_text=True)
    offered = {match.group(1) for href in page_links(page) if (match := FORM_LINK.match(href))}
    roles = set() if who == ANONYMOUS else set(ACCOUNTS[ROLE_ACCOUNTS[who]])
    assert offered == {key for key, form in FORMS.items() if roles & set(form.roles)}


def test_next_steps_link_the_draft_to_finish_and_the_issued_record(team_work):
    client = person(team_work, "supervisor")
    page = client.get("/").get_data(as_text=True)
    records = [href for href in page_links(page) if re.fullmatch(r"/registros/\d+", href)]
    assert len(set(records)) == 2, records
    to_finish = page.split("Por terminar")[1].split("Emitidos recientemente")
    assert "borrador" in to_finish[0] and "borrador" not in to_finish[1]
    assert "/panel/" in page_links(page)
    assert "/auditoria" not in page_links(page) and "/administracion/usuarios" not in page_links(page)


@pytest.mark.parametrize("who, pages, absent", [
    ("talento_humano", ["/formularios/tdr_gestor_casos/lote/"], ["/panel/", "/auditoria"]),
    ("calidad", ["/auditoria", "/documentos"], ["/panel/", "/administracion/usuarios"]),
    ("admin", ["/administracion/usuarios", "/auditoria"], ["/panel/"]),
    (ANONYMOUS, ["/documentos", "/verificar", "/formadores/"], ["/registros/", "/panel/"]),
])
def test_each_role_is_offered_its_own_pages(app, who, pages, absent):
    links = page_links(person(app, who).get("/").get_data(as_text=True))
    assert set(pages) <= set(links) and not set(absent) & set(links)


def test_a_member_of_several_roles_sees_the_forms_of_each(client):
    page = client.get("/").get_data(as_text=True)
    offered = {match.group(1) for href in page_links(page) if (match := FORM_LINK.match(href))}
    assert offered == {key for key, form in FORMS.items()
                       if set(ACCOUNTS[TEAM_MEMBER]) & set(form.roles)}
