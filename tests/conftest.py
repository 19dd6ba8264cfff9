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
