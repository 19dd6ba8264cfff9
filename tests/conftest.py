import pytest

from tests.database import database_config
from webforms import create_app


@pytest.fixture
def output_dir(tmp_path):
    return tmp_path / "output"


@pytest.fixture
def app(tmp_path, output_dir):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "VERIFICATION_KEY": "test-verification",
        "WTF_CSRF_ENABLED": False,
        "OUTPUT_DIR": output_dir,
        **database_config(tmp_path),
    })
    yield app


@pytest.fixture
def client(app):
    return app.test_client()
