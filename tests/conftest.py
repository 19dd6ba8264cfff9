import time

import pytest

from tests.accounts import TEAM_MEMBER, TEST_KEYS
from tests.database import database_config
from tests.helpers import sign_in
from webforms import create_app


@pytest.fixture
def output_dir(tmp_path):
    return tmp_path / "output"


@pytest.fixture
def app(tmp_path, output_dir):
    app = create_app({
        "TESTING": True,
        **TEST_KEYS,
        "TWO_FACTOR_FOR_ADMINS": False,
        "WTF_CSRF_ENABLED": False,
        "OUTPUT_DIR": output_dir,
        **database_config(tmp_path),
    })
    yield app


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
