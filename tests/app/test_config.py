"""app.config reads the environment and never writes: not even the instance folder."""

import pytest

from app import MissingSecretKey, create_app
from app.config import EMBEDDED_BROKER, database_url, from_environment

SERVER_ENVIRONMENT = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "NABLAGRADE_INSTANCE")


@pytest.fixture
def clean_environment(monkeypatch):
    for name in SERVER_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("url", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_database_url_gets_the_psycopg_driver(monkeypatch, url, tmp_path):
    monkeypatch.setenv("DATABASE_URL", url)
    assert database_url(tmp_path) == "postgresql+psycopg://u@h/db"


def test_reading_the_embedded_configuration_writes_nothing(clean_environment, tmp_path):
    instance = tmp_path / "not-yet"
    clean_environment.setenv("NABLAGRADE_INSTANCE", str(instance))
    settings = from_environment()
    assert settings["INSTANCE_PATH"] == str(instance)
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'nablagrade.sqlite3'}"
    assert settings["CELERY_BROKER_URL"] == EMBEDDED_BROKER
    assert settings["CELERY"]["broker_transport_options"]["data_folder_in"] == str(instance / "broker" / "queue")
    assert settings["SECRET_KEY"] is None
    assert not instance.exists()


def test_the_secret_key_comes_from_the_environment_before_the_instance_file(clean_environment, tmp_path):
    (tmp_path / "secret_key").write_text("from-the-file\n")
    clean_environment.setenv("NABLAGRADE_INSTANCE", str(tmp_path))
    assert from_environment()["SECRET_KEY"] == "from-the-file"
    clean_environment.setenv("SECRET_KEY", "from-the-environment")
    assert from_environment()["SECRET_KEY"] == "from-the-environment"


def test_the_app_refuses_to_start_without_a_secret_key_and_says_how_to_make_one(clean_environment, tmp_path):
    clean_environment.setenv("NABLAGRADE_INSTANCE", str(tmp_path / "instance"))
    with pytest.raises(MissingSecretKey, match=r"set SECRET_KEY, or run `python -m app.setup`"):
        create_app({"CELERY_BROKER_URL": "memory://"})
    assert not (tmp_path / "instance").exists()
