"""Write the golden copies of ``tests/golden/`` (run: ``python tools/make_golden.py``).

For every document of the catalogue and every template version it keeps, one copy rendered from
deterministic data: the form's sample (every field filled, see webforms.forms.sample) numbered
with a fixed number and date, or a handout's printed texts. ``<key>/v<N>.json`` holds the sealed
record's content (the form's pairs, as records.saved seals them) and the issue;
``<key>/v<N>.docx`` the bytes expected. tests/test_golden_copies.py renders each again and
compares bytes, so a change to the engine or its libraries that would alter a copy issued under
any version is seen before it ships (see docs/exact-copies.md).

Run it again only on purpose: when a new template version enters the catalogue (it adds that
version's files and leaves the others unchanged), or when a change of the copies is intended and
reviewed. The keys are the tests' (tests/accounts.py): the footer's check code depends on them.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.accounts import TEST_KEYS  # noqa: E402
from tests.database import database_config  # noqa: E402
from webforms import create_app  # noqa: E402
from webforms.common.catalogue import catalogue  # noqa: E402
from webforms.common.rendering import DOCUMENT_LANGUAGE, prepare_in, render_filled  # noqa: E402
from webforms.documents.contexts import CONTEXTS  # noqa: E402
from webforms.documents.engine import Issue, template_sha256  # noqa: E402
from webforms.forms import FORMS  # noqa: E402
from webforms.forms.base import formdata_from_values  # noqa: E402
from webforms.forms.sample import sample_value  # noqa: E402
from webforms.records.saved import at_version  # noqa: E402

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"
ISSUED_AT = dt.datetime(2026, 12, 1, 15, 30, tzinfo=dt.timezone.utc)


def cases() -> list[tuple[str, int]]:
    """(document key, version) for every version the catalogue keeps a template of."""
    return [(document.key, version) for document in catalogue()
            for version in sorted({change.version for change in document.changes}
                                  | {document.version})
            if kept(document, version)]


def kept(document, version: int) -> bool:
    return version == document.version or any(
        change.version == version and change.template is not None for change in document.changes)


def golden_record(key: str, version: int) -> dict:
    """The deterministic data of one case: the form's pairs (None for a handout) and its issue."""
    document = catalogue().get(key)
    pairs = None
    if CONTEXTS[key].has_form:
        pairs = sample_pairs(FORMS[key])
    return {"document": key, "version": version, "language": DOCUMENT_LANGUAGE,
            "number": f"{document.code}-2026-{version:06d}", "issued_at": ISSUED_AT.isoformat(),
            "pairs": pairs}


def sample_pairs(form_class) -> list[list[str]]:
    """The form's sample (webforms.forms.sample) as the pairs a page posts."""
    blank = form_class(formdata=None, meta={"csrf": False})
    formdata = formdata_from_values({field.name: sample_value(field)
                                     for field in blank.content_fields()})
    formdata.add("document_language", DOCUMENT_LANGUAGE)
    return [[name, str(value)] for name, value in formdata.items(multi=True)]


def render(record: dict) -> bytes:
    """The copy ``record`` (a golden .json) describes, rendered now."""
    document = catalogue().get(record["document"])
    version = record["version"]
    versioned = at_version(document, version)
    issued_at = dt.datetime.fromisoformat(record["issued_at"])
    if record["pairs"] is None:  # a handout: its printed texts, no number
        document_context = CONTEXTS[document.key]
        with force_locale(record["language"]):
            return prepare_in(versioned, record["language"],
                              lambda: document_context.printed_context(record["language"]),
                              generated_at=issued_at, version=version).finish(None).data
    form = FORMS[document.key](formdata=MultiDict(record["pairs"]), meta={"csrf": False})
    issue = Issue(number=record["number"], issued_at=issued_at, version=version,
                  template_sha256=template_sha256(versioned.template), revision=1)
    return render_filled(versioned, form, issue, record["language"]).data


def write_all() -> None:
    for key, version in cases():
        record = golden_record(key, version)
        folder = GOLDEN / key
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"v{version}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (folder / f"v{version}.docx").write_bytes(render(record))
        print(f"{key} v{version}")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, **TEST_KEYS, "WTF_CSRF_ENABLED": False,
                          "OUTPUT_DIR": Path(folder) / "output",
                          **database_config(Path(folder))})
        with app.test_request_context():
            write_all()


if __name__ == "__main__":
    main()
