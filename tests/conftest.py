import shutil
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.helpers import sign_in
from tests.processes import smtp_server
from webforms import create_app

MAIL_FROM = "formularios@example.org"


@pytest.fixture
def output_dir(tmp_path):
    return tmp_path / "output"


def make_app(tmp_path, output_dir, **settings):
    return create_app({
        "TESTING": True,
        **TEST_KEYS,
        "TWO_FACTOR_FOR_ADMINS": False,
        "WTF_CSRF_ENABLED": False,
        "OUTPUT_DIR": output_dir,
        **database_config(tmp_path),
        **settings,
    })


@pytest.fixture
def app(tmp_path, output_dir):
    yield make_app(tmp_path, output_dir)


@pytest.fixture
def smtp(tmp_path):
    """A real SMTP server process (aiosmtpd): its URL, and the maildir its messages go to."""
    process, port, maildir = smtp_server(tmp_path)
    yield SimpleNamespace(url=f"smtp://127.0.0.1:{port}", maildir=maildir)
    process.kill()


@pytest.fixture
def mail_app(tmp_path, output_dir, smtp):
    """The app with mail configured (WEBFORMS_MAIL_URL): it sends through ``smtp``."""
    yield make_app(tmp_path, output_dir, MAIL_URL=smtp.url, MAIL_FROM=MAIL_FROM)


@pytest.fixture
def client(app):
    """A member of "Equipo Norte" signed in, holding every role that fills forms."""
    return sign_in(app.test_client(), TEAM_MEMBER)


@pytest.fixture
def anonymous(app):
    return app.test_client()


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
