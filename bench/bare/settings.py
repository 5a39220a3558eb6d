"""Settings of the bare project: only what Django needs to answer one URL."""

# Signs nothing: no sessions, no forms, no cookies.
SECRET_KEY = "bench-bare-project-signs-nothing"  # noqa: S105 - not a secret
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare.urls"
DATABASES: dict = {}
USE_TZ = True
