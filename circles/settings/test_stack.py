"""The test suite on the production stack: PostgreSQL, Redis and object storage.

`make test-postgres` runs the suite with these settings beside the private
instances that scripts/stack.sh starts; everything else is as in test.py.
"""

import dj_database_url

from .env import env_str, require
from .test import *  # noqa: F403

DATABASES = {
    "default": dj_database_url.parse(
        require(
            "DATABASE_URL",
            env_str("DATABASE_URL"),
            "The production-stack tests run on the PostgreSQL that "
            "scripts/stack.sh starts.",
        ),
        conn_max_age=0,
    )
}
require(
    "REDIS_URL",
    REDIS_URL,  # noqa: F405
    "The production-stack tests keep the cache, sessions and limits in Redis.",
)
