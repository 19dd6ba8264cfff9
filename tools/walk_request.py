"""Which modules of the product a request passes through, in order: a reader's map of the code.

Run from a checkout's root: ``.venv/bin/python tools/walk_request.py``. It makes a throw-away
installation as the tests do (their accounts already in its database), signs a supervisor in,
then records every call into a
``webforms`` module during (1) the «Emitir con número» POST that issues a Registro (the review step
before it is not traced) and (2) the upload of a 3-row ToR batch, whose job runs at once in this
process. For each it prints the modules in the order the request enters them (a module entered
again after another is listed again), then how many distinct modules and packages that is, and how
many times the request switched module. It reads the checkout it runs in, so the same script
compares two layouts (used for issue #34's closing note).
"""
from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path.cwd()
sys.path.insert(0, str(ROOT))

from tests.accounts import TEAM_MEMBER, TEST_KEYS  # noqa: E402
from tests.database import database_config  # noqa: E402
from tests.helpers import REGISTRO_URL, review_form, sign_in, valid_registro  # noqa: E402
from tests.test_tdr_batch import as_csv, person, upload  # noqa: E402
from webforms import create_app  # noqa: E402


def walk(call):
    """``call()``'s result and the webforms modules it entered, consecutive repeats folded."""
    entered: list[str] = []

    def profile(frame, event, _arg):
        module = frame.f_globals.get("__name__", "")
        if event == "call" and module.startswith("webforms") and (
                not entered or entered[-1] != module):
            entered.append(module)

    sys.setprofile(profile)
    try:
        return call(), entered
    finally:
        sys.setprofile(None)


# The document core (by layer, library-like) and the storage driver: entered per field and per
# statement, they say little about how the application is arranged, so the second count leaves
# them out.
CORE = ("webforms.documents", "webforms.forms", "webforms.content", "webforms.catalogue",
        "webforms.text", "webforms.storage.sqlite_writer")


def fold(modules: list[str]) -> list[str]:
    return [module for i, module in enumerate(modules) if i == 0 or modules[i - 1] != module]


def report(title: str, entered: list[str]) -> None:
    print(f"\n== {title}")
    for label, walked in (("every module", entered),
                          ("the application (core left out)",
                           fold([m for m in entered if not m.startswith(CORE)]))):
        modules = set(walked)
        packages = sorted({module.rsplit(".", 1)[0] for module in modules})
        crossings = len(fold([module.rsplit(".", 1)[0] for module in walked])) - 1
        print(f"{label}: {len(modules)} modules in {len(packages)} packages, "
              f"{len(walked) - 1} switches of module, {crossings} of package "
              f"({', '.join(packages)})")
    entries = Counter(fold([m for m in entered if not m.startswith(CORE)])).most_common(4)
    print("entered most often:", ", ".join(f"{module.removeprefix('webforms.')} {times}×"
                                           for module, times in entries))
    print(" -> ".join(module.removeprefix("webforms.")
                      for module in fold([m for m in entered if not m.startswith(CORE)])))


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="walk-"))
    app = create_app({"TESTING": True, **TEST_KEYS, "TWO_FACTOR_FOR_ADMINS": False,
                      "WTF_CSRF_ENABLED": False, "OUTPUT_DIR": folder / "output",
                      **database_config(folder)})
    client = sign_in(app.test_client(), TEAM_MEMBER)
    client.get(REGISTRO_URL)  # warm: templates compiled, catalogue read
    review = review_form(client.post(REGISTRO_URL, data=valid_registro()).get_data(as_text=True))
    issued, entered = walk(lambda: client.post(review[0], data=review[1]))
    assert issued.status_code == 303, issued.status_code
    report("POST «Emitir con número» (Registro)", entered)
    spreadsheet = as_csv([person(number) for number in range(1, 4)])
    done, entered = walk(lambda: upload(client, spreadsheet, "lista.csv"))
    report(f"POST a ToR batch of 3 rows (HTTP {done.status_code}, job run at once)", entered)


if __name__ == "__main__":
    main()
