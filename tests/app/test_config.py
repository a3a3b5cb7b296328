"""app.config reads the environment and never writes: not even the instance folder."""

import json

import pytest

from app import MissingSecretKey, create_app
from app.config import EMBEDDED_BROKER, database_url, from_environment, strict_json

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


def test_links_name_the_running_demo_and_not_a_stopped_one(clean_environment, tmp_path):
    import fcntl
    import json

    clean_environment.delenv("NABLAGRADE_PUBLIC_URL", raising=False)
    clean_environment.setenv("NABLAGRADE_INSTANCE", str(tmp_path))
    lock = tmp_path / "demo.lock"
    lock.write_text(json.dumps({"pid": 1, "url": "http://127.0.0.1:5077"}) + "\n")
    assert from_environment()["PUBLIC_URL"] == "http://localhost:5000"  # a file a stopped demo left
    with lock.open() as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as scripts/demo.py holds it while it runs
        assert from_environment()["PUBLIC_URL"] == "http://127.0.0.1:5077"
        clean_environment.setenv("NABLAGRADE_PUBLIC_URL", "https://grader.example.edu")
        assert from_environment()["PUBLIC_URL"] == "https://grader.example.edu"  # the setting wins


def test_json_columns_are_written_compact_and_strict():
    document = {"values": [[0.1, -2.5e-17], [3.0, 1e300]], "message": "off by a factor 2: ok"}
    text = strict_json(document)
    assert json.loads(text) == document
    assert ", " not in text.replace("factor 2: ok", "") and '": ' not in text
    with pytest.raises(ValueError):
        strict_json({"value": float("nan")})


@pytest.mark.parametrize("value", [
    {"values": [0.1, 1 / 3, -0.0, 5e-324, 1.7976931348623157e308, 1e16, 123456789.0, 2**63, -(2**70)]},
    {"text": "é ü \u2028 </script> a/b \" \\ \x00 \x1f \ud800 \U0001f600", "nested": [[[]], {}, None, True, False]},
    {"message": "off by a factor 2: ok", "diagnosis": None, "score": 1.6667, "ids": list(range(5))},
])
def test_json_columns_hold_what_the_standard_library_would_write(value):
    assert strict_json(value) == json.dumps(value, allow_nan=False, separators=(",", ":"))


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_json_columns_refuse_every_non_finite_number_wherever_it_is(bad):
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        strict_json({"problems": [{"checks": [{"received": [1.0, [2.0, bad]]}]}]})
