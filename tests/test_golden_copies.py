"""Golden copies: every template version of the catalogue, rendered again from committed data,
must give the committed bytes. Copies are kept as issued (records.issued_copies), but a change
of the engine or of docxtpl, python-docx or lxml that would alter them is seen here first (see
docs/exact-copies.md; the files are written by tools/make_golden.py)."""
import hashlib
import json
from pathlib import Path

import pytest

from tools.make_golden import cases, render

GOLDEN = Path(__file__).parent / "golden"
RECORDS = sorted(GOLDEN.glob("*/v*.json"))


def test_the_golden_copies_cover_every_template_version_of_the_catalogue(document_app):
    with document_app.app_context():
        expected = set(cases())
    committed = {(path.parent.name, int(path.stem[1:])) for path in RECORDS}
    assert committed == expected
    assert all(path.with_suffix(".docx").is_file() for path in RECORDS)


@pytest.mark.parametrize("path", RECORDS, ids=lambda path: f"{path.parent.name}-{path.stem}")
def test_a_golden_copy_renders_again_byte_for_byte(document_app, path):
    record = json.loads(path.read_text(encoding="utf-8"))
    expected = path.with_suffix(".docx").read_bytes()
    with document_app.test_request_context():
        again = render(record)
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(expected).hexdigest(), (
        f"{path.parent.name} v{record['version']} renders differently: see docs/exact-copies.md")
