"""Settings for the pytest suite: fast, isolated, no network."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "test.sqlite3",  # noqa: F405
        "OPTIONS": SQLITE_OPTIONS,  # noqa: F405
        # One file per test run, so two runs side by side never share it.
        "TEST": {"NAME": BASE_DIR / f"test-db-{os.getpid()}.sqlite3"},  # noqa: F405
    }
}
PASSWORD_HASHERS = ["tests.hashers.FastArgon2PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media-private"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# WhiteNoise serves straight from the finders, so tests need no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
QUICK_EXIT_URL = "https://weather.example/forecast"
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"  # noqa: F405
# A signing key of the test run's own, created on first use.
SIGNING_KEY_CREATE = True
SIGNING_KEY_DEV_FILE = BASE_DIR / "var" / "test-signing-key.pem"  # noqa: F405
