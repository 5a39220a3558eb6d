"""Production: PostgreSQL, Redis, HTTPS. Refuses to start without its secrets."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str, require

DEBUG = False
SECRET_KEY = require(
    "SECRET_KEY",
    SECRET_KEY,  # noqa: F405
    "Production needs a long random secret to sign sessions and forms.",
)
ALLOWED_HOSTS = require(
    "ALLOWED_HOSTS",
    ALLOWED_HOSTS,  # noqa: F405
    "Production answers only for the host names listed there (comma-separated).",
)

REDIS_URL = require(
    "REDIS_URL",
    REDIS_URL,  # noqa: F405
    "Production shares its cache, sessions and rate limits between processes "
    "through Redis, so that a revoked certificate or an unpublished step shows "
    "at once everywhere.",
)

# PDFs, exports and e-mail wait in the database for `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", TASKS_DATABASE)}}  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
# Subdomains of the site's own host name (not of the organisation's domain).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Not preloaded: see "Security and deployment" in the README.
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
