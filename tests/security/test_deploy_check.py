"""`manage.py check --deploy` under production settings warns of nothing but preload."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parents[2]


def signing_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def test_the_deploy_check_warns_only_about_hsts_preload(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "DEBUG"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="circles.settings.production",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="circles.example.org",
        SITE_URL="https://circles.example.org",
        REDIS_URL="redis://localhost:6379/0",
        SIGNING_KEY_PEM=signing_key_pem(),
        SQLITE_PATH=str(tmp_path / "deploy-check.sqlite3"),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "(security.W021)" in output  # preload, explained in the README
    assert "identified 1 issue" in output, output
