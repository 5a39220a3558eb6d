"""Settings: SQLite that queues writers; production refuses to start unsafely."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.db.utils import ConnectionHandler

ROOT = Path(__file__).resolve().parents[2]


def start_production(**env):
    """Import the production settings in a fresh interpreter with only `env` set."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "circles.settings.production"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


REDIS = "redis://cache.internal:6379/0"


def test_production_refuses_to_start_without_a_secret_key():
    result = start_production(ALLOWED_HOSTS="circles.example.org", REDIS_URL=REDIS)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start_production(SECRET_KEY="x" * 50, REDIS_URL=REDIS)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    result = start_production(SECRET_KEY="x" * 50, ALLOWED_HOSTS="circles.example.org")
    assert result.returncode != 0
    assert "REDIS_URL is not set" in result.stderr


def test_production_uses_postgresql_from_database_url():
    result = start_production(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="circles.example.org",
        DATABASE_URL="postgres://circles:pw@db.internal:5432/circles",
        REDIS_URL=REDIS,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(
    tmp_path, django_db_blocker
):
    # A connection of its own with the embedded default's options, so the check
    # holds whichever database the suite itself runs on (SQLite or PostgreSQL).
    databases = ConnectionHandler().configure_settings(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": tmp_path / "embedded.sqlite3",
                "OPTIONS": settings.SQLITE_OPTIONS,
            }
        }
    )
    embedded = SQLiteDatabaseWrapper(databases["default"])
    with django_db_blocker.unblock():
        try:
            with embedded.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] >= 5000
        finally:
            embedded.close()
    assert settings.SQLITE_OPTIONS["transaction_mode"] == "IMMEDIATE"


def test_argon2_hashes_passwords_in_every_environment():
    from circles.settings import base

    assert (
        base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_production_serves_compressed_hashed_static_files():
    from circles.settings import base

    assert base.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in base.MIDDLEWARE


@pytest.mark.django_db
def test_bootstrap_is_served_by_the_site_itself(client):
    response = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert b"Bootstrap" in b"".join(response.streaming_content)[:400]
