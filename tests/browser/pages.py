"""What the browser tests do on a page, shared by their modules: find a field by its label, open
and fill a form as a person would, download its Word copy, and list axe-core's serious
violations."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import AXE
from tests.helpers import open_docx


def by_label(scope, text):
    """The field labelled ``text`` (a required field's label ends with "(obligatorio)")."""
    return scope.get_by_label(re.compile("^" + re.escape(text) + r"( \(obligatorio\))?$")).first


def open_form(page, base_url, scenario):
    page.goto(base_url + "/")
    page.get_by_role("link", name=scenario.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(scenario.title)


def fill(page, scenario):
    for label, value in scenario.texts:
        by_label(page, label).fill(value)
    for label in scenario.choices:
        by_label(page, label).check()
    if scenario.key == "verificacion_hitos":
        moment = page.locator("#criteria_reintegration_closure")
        for index in range(CHECKLIST_MARKS):
            moment.locator(f"#criteria_reintegration_closure-{index}").get_by_label(
                "Cumple", exact=True).check()
    first_row = page.locator(f"#{scenario.row_group}-0")
    for label, value in scenario.row_texts:
        by_label(first_row, label).fill(value)


def download_docx(page):
    """Review, issue, and take the Word copy from the record's page, as a person does."""
    page.get_by_role("button", name="Revisar y emitir").click()
    page.get_by_role("button", name="Emitir con número").click()
    expect(page.locator(".record-facts")).to_be_visible()
    with page.expect_download() as download:
        page.locator(".record-facts").get_by_role("link", name=re.compile("^Word")).click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".docx")
    with open(path, "rb") as handle:
        return open_docx(handle.read())


def serious_violations(page):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


CHECKLIST_MARKS = 3
