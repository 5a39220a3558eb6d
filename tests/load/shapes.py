"""The two shapes Circles runs in, started for real on loopback.

- stack: the scaled-out production shape. Two gunicorns (2 workers each)
  behind nginx balancing round robin and terminating HTTPS, PostgreSQL,
  Redis, one `manage.py db_worker` and S3 object storage (the servers
  scripts/stack.sh starts).
- embedded: the single-host default. One gunicorn (2 workers) serving HTTPS
  itself, the SQLite file in WAL mode, files on the local disk, background
  work in-process.

Both run the production settings (tests/load/settings.py says what differs)
and share the caller's database, so the caller can build the course before
and check what was recorded after.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.servers import (
    TLS,
    Server,
    db_worker,
    free_port,
    gunicorn,
    nginx,
    nginx_binary,
    self_signed_tls,
    signing_key_file,
    wait_until_ready,
)

SETTINGS = "tests.load.settings"
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
# What the servers may take from the test's own environment.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_CACHE_HOME")
S3_ENVIRONMENT = (
    "S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_DEFAULT_REGION",
)


@dataclass(frozen=True)
class Site:
    """A running shape: where learners go, each web server, and where PDFs land."""

    shape: str
    base_url: str
    server_urls: tuple[str, ...]
    tls: TLS
    servers: tuple[Server, ...]
    # The task worker's id (stack); None where tasks run inside the web process.
    worker_id: str | None = None
    private_bucket: str | None = None
    private_root: Path | None = None
    # The balancer's access log, naming the web server of each request (stack).
    balancer_log: Path | None = None

    def log_tails(self, lines: int = 30) -> str:
        """The end of every server's log, for a failure message."""
        return "\n".join(
            f"--- {server.name} ({server.log}) ---\n{server.log_tail(lines)}"
            for server in self.servers
        )


def stack_available() -> str:
    """Why the stack shape cannot run here, or "" when it can."""
    missing = [
        name
        for name in ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL")
        if not os.environ.get(name)
    ]
    if missing:
        return (
            f"{', '.join(missing)} not set: the scaled-out shape runs under "
            "scripts/stack.sh --s3 (make test-postgres)"
        )
    if nginx_binary() is None:
        return "nginx is not installed (scripts/stack.sh installs it)"
    return ""


@contextmanager
def stack_site(folder: Path, *, database_url: str) -> Iterator[Site]:
    """Two gunicorns behind nginx, a db_worker, PostgreSQL, Redis and S3."""
    tls = self_signed_tls(folder)
    front = free_port()
    buckets = _create_buckets()
    env = _environment(folder, site_url=f"https://127.0.0.1:{front}") | {
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ["REDIS_URL"],
        "S3_MEDIA_BUCKET": buckets["media"],
        "S3_PRIVATE_BUCKET": buckets["private"],
        **{name: os.environ[name] for name in S3_ENVIRONMENT if name in os.environ},
    }
    worker_id = f"load-test-worker-{secrets.token_hex(4)}"
    with ExitStack() as running:
        web = [
            running.enter_context(
                gunicorn(env=env, folder=folder, name=f"web-{n}", wait=False)
            )
            for n in (1, 2)
        ]
        worker = running.enter_context(
            db_worker(env=env, folder=folder, worker_id=worker_id)
        )
        wait_until_ready(*web)
        balancer = running.enter_context(
            nginx(
                folder=folder, upstream_ports=[s.port for s in web], tls=tls, port=front
            )
        )
        yield Site(
            shape="stack",
            base_url=f"https://127.0.0.1:{front}",
            server_urls=tuple(f"http://127.0.0.1:{s.port}" for s in web),
            tls=tls,
            servers=(*web, worker, balancer),
            worker_id=worker_id,
            private_bucket=buckets["private"],
            balancer_log=balancer.log.parent / "nginx-access.log",
        )


@contextmanager
def embedded_site(folder: Path, *, sqlite_path: Path) -> Iterator[Site]:
    """One gunicorn on the SQLite file, local files, tasks in-process."""
    tls = self_signed_tls(folder)
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    env = _environment(folder, site_url=url) | {
        "SQLITE_PATH": str(sqlite_path),
        "TASKS_BACKEND": IMMEDIATE_TASKS,
    }
    with gunicorn(env=env, folder=folder, name="web", tls=tls, port=port) as web:
        yield Site(
            shape="embedded",
            base_url=url,
            server_urls=(url,),
            tls=tls,
            servers=(web,),
            private_root=folder / "private-media",
        )


def _environment(folder: Path, *, site_url: str) -> dict[str, str]:
    """What every server of a shape reads: the production settings' variables."""
    passed = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    (folder / "static").mkdir(parents=True, exist_ok=True)
    return passed | {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": site_url,
        "SIGNING_KEY_FILE": str(signing_key_file(folder)),
        # Set by the one hop in front (nginx, or the test's learners directly).
        "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
        "STATIC_ROOT": str(folder / "static"),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def s3_client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT_URL"],
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
    )


def _create_buckets() -> dict[str, str]:
    """A fresh media bucket and private bucket for this run."""
    client = s3_client()
    tag = secrets.token_hex(4)
    buckets = {"media": f"load-media-{tag}", "private": f"load-private-{tag}"}
    for name in buckets.values():
        client.create_bucket(Bucket=name)
    return buckets
