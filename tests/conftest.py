"""The fixtures every test module shares, and the suite's own bookkeeping:

- ``make_app(**overrides)`` makes the test app (a migrated database of its own, test keys);
  ``app``, ``client``, ``anonymous`` and ``mail_app`` are made with it.
- Every test that makes a database is marked ``db`` at collection (scripts/test runs only those
  on PostgreSQL); a test that made one without being marked fails, so none is left out.
- Tests marked ``pdf`` convert through one warm converter per session (per pytest-xdist worker)
  instead of starting LibreOffice each time; the converter's own tests and
  tests/test_blanks_and_pdf.py's concurrency test keep the cold path.
- Every SQLAlchemy engine a test connected is disposed after it: no pooled connection outlives
  its test (PostgreSQL's default 100 connections are enough).
- Werkzeug's URL builders are compiled once per process, not once per test app
  (tests/routing_cache.py).
"""
import inspect
import re
import shutil
import time
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests import database, routing_cache
from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.helpers import MAIL_FROM, TODAY, sign_in
from tests.processes import smtp_server, warm_converter_process
from webforms import create_app

routing_cache.install()

# The fixtures that make a database, besides those whose code calls one of MAKERS; and those that
# make an app without one.
DB_FIXTURES = {"app", "client", "anonymous", "mail_app", "make_app", "live_server"}
NO_DB_FIXTURES = {"document_app"}
# The fixtures that start processes (servers, consumers, converters, Chromium): marked `slow`.
SLOW_FIXTURES = {"installation", "started", "smtp", "live_server", "warm_converter", "oidc_issuer",
                 "sso_live_server"}
MAKERS = re.compile(r"\b(database_config|make_app|create_app|migrated)\(")


# --- markers -------------------------------------------------------------------------------------
def _makes_a_database(function, helpers: set[str]) -> bool:
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return bool(MAKERS.search(source)) or any(f"{name}(" in source for name in helpers)


def _module_helpers(module) -> set[str]:
    """The names of the test functions ``module`` holds (its own, or imported from tests/) that
    make a database: a test calling one does."""
    return {name for name, value in vars(module).items()
            if inspect.isfunction(value) and value.__module__.startswith("tests.")
            and not name.startswith("test_") and _makes_a_database(value, set())}


def _uses_the_database(item, helpers: set[str]) -> bool:
    if DB_FIXTURES & set(item.fixturenames):
        return True
    definitions = item._fixtureinfo.name2fixturedefs
    fixtures = [fixture.func for name in set(item.fixturenames) - NO_DB_FIXTURES
                for fixture in definitions.get(name, ())]
    return any(_makes_a_database(function, helpers)
               for function in [getattr(item, "function", None), *fixtures])


def pytest_collection_modifyitems(items):
    helpers_of: dict = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and module not in helpers_of:
            helpers_of[module] = _module_helpers(module)
        if _uses_the_database(item, helpers_of.get(module, set())):
            item.add_marker(pytest.mark.db)
        if "tests/browser/" in item.nodeid:
            item.add_marker(pytest.mark.browser)
        if SLOW_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _marked_db_if_it_made_a_database(request):
    before = database.made[0]
    yield
    if database.made[0] > before and request.node.get_closest_marker("db") is None:
        pytest.fail("this test made a database but is not marked `db` (tests/conftest.py): "
                    "the PostgreSQL pass would leave it out")


# --- engines -------------------------------------------------------------------------------------
_engines: "weakref.WeakSet[sa.Engine]" = weakref.WeakSet()


@sa.event.listens_for(sa.Engine, "engine_connect")
def _remember_engine(connection):
    _engines.add(connection.engine)


@pytest.fixture(autouse=True)
def _dispose_engines():
    """Close the pooled connections of every engine a test used (its apps, its helpers)."""
    yield
    for engine in list(_engines):
        engine.dispose()
    _engines.clear()


# --- PDFs ----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def warm_converter(tmp_path_factory):
    """The product's warm converter (webforms.jobs.converter), started once for the session:
    its address and secret, or None where LibreOffice's uno is missing (PDFs then start
    LibreOffice each time)."""
    with warm_converter_process(tmp_path_factory.mktemp("converter")) as endpoint:
        yield endpoint


@pytest.fixture(autouse=True)
def _pdfs_by_the_warm_converter(request, monkeypatch):
    if request.node.get_closest_marker("pdf") is None:
        return
    endpoint = request.getfixturevalue("warm_converter")
    if endpoint is not None:
        monkeypatch.setattr(database, "WARM_CONVERTERS", (endpoint,))


# --- apps and clients ----------------------------------------------------------------------------
@pytest.fixture
def output_dir(tmp_path):
    return tmp_path / "output"


@pytest.fixture
def make_app(tmp_path, output_dir):
    """``make_app(**overrides)``: a test app with its own migrated database (in ``folder=``,
    by default the test's tmp_path), the overrides on top of the test settings."""
    def make(folder: Path | None = None, **overrides):
        return create_app({
            "TESTING": True,
            **TEST_KEYS,
            "TWO_FACTOR_FOR_ADMINS": False,
            "WTF_CSRF_ENABLED": False,
            "OUTPUT_DIR": output_dir,
            **database_config(folder or tmp_path),
            **overrides,
        })
    return make


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture(scope="session")
def document_app(tmp_path_factory):
    """One app for the session, bound to no database (an empty SQLite file: a query fails), for
    tests that only render documents and read the catalogue in its request context; they run
    once, not again on PostgreSQL."""
    folder = tmp_path_factory.mktemp("document-app")
    return create_app({"TESTING": True, **TEST_KEYS, "OUTPUT_DIR": folder / "output",
                       "DATABASE": str(folder / "none.sqlite3"), "DATABASE_URL": None,
                       "INSTANCE_DIR": str(folder / "instance"), "CONVERTERS": ()})


@pytest.fixture
def smtp(tmp_path):
    """A real SMTP server process (aiosmtpd): its URL, and the maildir its messages go to."""
    process, port, maildir = smtp_server(tmp_path)
    yield SimpleNamespace(url=f"smtp://127.0.0.1:{port}", maildir=maildir)
    process.kill()


@pytest.fixture
def mail_app(make_app, smtp):
    """The app with mail configured (WEBFORMS_MAIL_URL): it sends through ``smtp``."""
    return make_app(MAIL_URL=smtp.url, MAIL_FROM=MAIL_FROM)


@pytest.fixture
def client(app):
    """A member of "Equipo Norte" signed in, holding every role that fills forms."""
    return sign_in(app.test_client(), TEAM_MEMBER)


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def fixed_today(monkeypatch):
    """The pages' today fixed at TODAY: the dashboard's, the Acciones page's, and the date a
    new record's carried actions are open at."""
    monkeypatch.setattr("webforms.common.dates.local_today", lambda: TODAY)
    return TODAY


class Clock:
    """``time.time`` moved forward by the test instead of waited for."""

    def __init__(self):
        self.offset = 0.0

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock(monkeypatch):
    clock, real_time = Clock(), time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + clock.offset)
    return clock


@pytest.fixture
def templates_dir(tmp_path):
    """A copy of the shipped doc_templates/ (catalogue and every version) a test may change."""
    folder = tmp_path / "doc_templates"
    shutil.copytree(Path(__file__).parent.parent / "doc_templates", folder)
    return folder
