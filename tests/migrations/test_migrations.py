"""Migrations: one head, a clean upgrade on empty PostgreSQL and SQLite, and no drift."""

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import Config
from sqlalchemy import select

from app import create_app
from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import Submission, User
from app.services.demo import seed_demo
from app.services.submissions import submit
from tests.support.servers import create_database, drop_database, require_postgres


def migrations_config() -> Config:
    config = Config(str(PROJECT_ROOT / "migrations" / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return config


def test_there_is_a_single_head():
    heads = ScriptDirectory.from_config(migrations_config()).get_heads()
    assert len(heads) == 1, f"several heads: {heads}; merge them"


def app_on(url: str, tmp_path) -> Flask:
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "t",
                       "CELERY_BROKER_URL": "memory://"})


def drift_after_upgrade(url: str, tmp_path) -> list:
    app = app_on(url, tmp_path)
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        flask_migrate.downgrade(revision="base")
        with db.engine.connect() as connection:
            left = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert left == set(), f"downgrade left tables behind: {left}"
    return diff


def test_upgrade_on_empty_postgresql_has_no_drift(tmp_path):
    require_postgres()
    url = create_database("ng_migrations")
    try:
        assert drift_after_upgrade(url, tmp_path) == []
    finally:
        drop_database(url)


def test_upgrade_on_empty_sqlite_has_no_drift(tmp_path):
    assert drift_after_upgrade(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path) == []



def test_result_documents_are_stored_with_lz4_on_postgresql_and_downgrade_restores_the_default(tmp_path):
    require_postgres()
    url = create_database("ng_migrations_lz4")
    app = app_on(url, tmp_path)
    compression = db.text("SELECT attcompression FROM pg_attribute "
                          "WHERE attrelid = 'submissions'::regclass AND attname = 'result'")
    try:
        with app.app_context():
            flask_migrate.upgrade()
            assert db.session.execute(compression).scalar_one() == "l"
            seed_demo()
            student = db.session.scalars(select(User).where(User.email == "alice@example.edu")).one()
            submission = submit(student, "DEMO", "hw1", (PROJECT_ROOT / "assignments" / "examples" / "hw1_correct.py").read_bytes(), "hw1.py")
            # A document as large as a graded hw1's is toasted with lz4 and reads back intact.
            document = {"checks": [{"values": [i / 7 for i in range(3000)]}]}
            submission.result = document
            db.session.commit()
            db.session.expire_all()
            assert db.session.get(Submission, submission.id).result == document
            assert db.session.execute(db.text("SELECT pg_column_compression(result) FROM submissions WHERE id = :id"),
                                      {"id": submission.id}).scalar_one() == "lz4"
            db.session.commit()  # the ALTER TABLE of the downgrade waits for this session's locks
            flask_migrate.downgrade(revision="a8e41c6b2d97")
            assert db.session.execute(compression).scalar_one() == ""
            db.session.rollback()
            db.engine.dispose()
    finally:
        drop_database(url)
