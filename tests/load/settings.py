"""Settings of the load test's web servers and worker: production, on loopback.

circles.settings.production, read from the environment as in a deployment,
with two differences, each so that a run starts in seconds on one machine:

- Static files are served by WhiteNoise straight from the app folders, as
  the test settings do: production's compressed manifest needs a minute of
  `collectstatic` first, and the test's learners fetch pages, not assets.
- Without REDIS_URL (the embedded shape: one host, SQLite, local files,
  tasks in-process) the cache is the in-process one base.py chooses.
  Production insists on Redis because several hosts must share one cache;
  the embedded shape has one host, and no Redis to give it.
"""

import os

from circles.settings.env import env_str

EMBEDDED = not env_str("REDIS_URL")
if EMBEDDED:
    # Production stops at import without it; the value is replaced below.
    os.environ["REDIS_URL"] = "redis://embedded.invalid/0"

from circles.settings.production import *  # noqa: E402, F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

if EMBEDDED:
    REDIS_URL = ""
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
