"""Settings for a developer's machine and `make demo`."""

from .base import *  # noqa: F403
from .env import env_int, env_list, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")  # noqa: S105
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Without Redis the cache is each process's own, so a command run beside the
# server (seed_demo, say) would change pages the server never hears about:
# keep no pages whole and look the site up on every request, unless asked.
PAGE_CACHE_SECONDS = env_int(
    "PAGE_CACHE_SECONDS",
    600 if REDIS_URL else 0,  # noqa: F405
)
