"""app.setup.prepare_instance: the one start-up step that writes, and only what is missing."""

import subprocess
import sys

import pytest

from app import create_app
from app.setup import prepare_instance
from tests.support.servers import ROOT


@pytest.fixture
def embedded(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setenv("NABLAGRADE_INSTANCE", str(instance))
    return instance


def test_the_embedded_set_up_gets_its_folders_and_one_secret_key(embedded):
    done = prepare_instance()
    key = (embedded / "secret_key").read_text()
    assert len(key) == 64 and (embedded / "secret_key").stat().st_mode & 0o777 == 0o600
    assert {p.name for p in (embedded / "broker").iterdir()} == {"queue", "processed", "control"}
    assert any("generated a secret key" in line for line in done)
    assert prepare_instance() == []  # the second start changes nothing
    assert (embedded / "secret_key").read_text() == key
    assert create_app({"CELERY_BROKER_URL": "memory://"}).config["SECRET_KEY"] == key


def test_production_settings_write_nothing(monkeypatch, tmp_path):
    instance = tmp_path / "instance"
    monkeypatch.setenv("NABLAGRADE_INSTANCE", str(instance))
    monkeypatch.setenv("SECRET_KEY", "production")
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/nablagrade")
    monkeypatch.setenv("REDIS_URL", "redis://redis:6379/0")
    assert prepare_instance() == []
    assert not instance.exists()


def test_python_m_app_setup_prints_what_it_did(embedded):
    env = {"NABLAGRADE_INSTANCE": str(embedded), "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-m", "app.setup"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert f"generated a secret key in {embedded / 'secret_key'}" in first.stdout
    again = subprocess.run([sys.executable, "-m", "app.setup"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout == ""
