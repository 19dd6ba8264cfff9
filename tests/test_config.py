import pytest

from webforms import create_app
from webforms.demo import service as demo
from webforms.storage.database import db
from webforms.storage.models import Team


def test_production_without_secret_key_fails_loudly(tmp_path):
    with pytest.raises(RuntimeError, match="WEBFORMS_SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": None, "OUTPUT_DIR": tmp_path})


def test_local_default_generates_one_key_shared_by_every_process(tmp_path):
    settings = {"SECRET_KEY": None, "OUTPUT_DIR": tmp_path, "INSTANCE_DIR": tmp_path / "inst"}
    first, second = create_app(dict(settings)), create_app(dict(settings))
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    key_file = tmp_path / "inst" / "secret_key"
    assert key_file.read_text() == first.config["SECRET_KEY"]
    assert key_file.stat().st_mode & 0o077 == 0


def test_production_without_verification_key_fails_loudly(tmp_path):
    with pytest.raises(RuntimeError, match="WEBFORMS_VERIFICATION_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "given", "OUTPUT_DIR": tmp_path})


def test_local_default_generates_a_verification_key_apart_from_the_secret_key(tmp_path):
    settings = {"SECRET_KEY": None, "VERIFICATION_KEY": None, "OUTPUT_DIR": tmp_path,
                "INSTANCE_DIR": tmp_path / "inst"}
    first, second = create_app(dict(settings)), create_app(dict(settings))
    assert first.config["VERIFICATION_KEY"] == second.config["VERIFICATION_KEY"]
    assert first.config["VERIFICATION_KEY"] != first.config["SECRET_KEY"]
    assert (tmp_path / "inst" / "verification_key").read_text() == first.config["VERIFICATION_KEY"]


def test_explicit_secret_key_is_used(tmp_path):
    app = create_app({"SECRET_KEY": "given", "VERIFICATION_KEY": "other", "ENV_NAME": "production",
                      "SECURITY_PASSWORD_SALT": "salt", "TOTP_KEY": "totp", "DATA_KEY": "data",
                      "AUDIT_KEY": "audit",
                      "OUTPUT_DIR": tmp_path})
    assert app.config["SECRET_KEY"] == "given"
    assert app.config["SESSION_COOKIE_HTTPONLY"]


def test_every_installation_key_comes_from_its_environment_variable(tmp_path, monkeypatch):
    """A production server (or several sharing one database) is configured by the environment
    alone: each key from its WEBFORMS_ variable, none generated."""
    from webforms.config import INSTALLATION_KEYS

    for _setting, variable, _file in INSTALLATION_KEYS:
        monkeypatch.setenv(variable, f"from-{variable}")
    app = create_app({"ENV_NAME": "production", "OUTPUT_DIR": tmp_path,
                      "INSTANCE_DIR": tmp_path / "inst",
                      **{setting: None for setting, *_ in INSTALLATION_KEYS}})
    for setting, variable, file_name in INSTALLATION_KEYS:
        assert app.config[setting] == f"from-{variable}"
        assert not (tmp_path / "inst" / file_name).exists()


def test_production_needs_the_audit_key(tmp_path, monkeypatch):
    monkeypatch.delenv("WEBFORMS_AUDIT_KEY", raising=False)
    with pytest.raises(RuntimeError, match="WEBFORMS_AUDIT_KEY"):
        create_app({"SECRET_KEY": "given", "VERIFICATION_KEY": "other", "ENV_NAME": "production",
                    "SECURITY_PASSWORD_SALT": "salt", "TOTP_KEY": "totp", "DATA_KEY": "data",
                    "AUDIT_KEY": None, "OUTPUT_DIR": tmp_path})


def test_the_demo_region_is_refused_in_production(app):
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["demo", "region"])
    assert result.exit_code == 2 and "no se crea en producción" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(Team).where(Team.name == demo.REGION)) is None
