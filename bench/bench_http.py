"""Every page's throughput under gunicorn, as a share of a bare Django view's.

One run starts, on loopback, the site under gunicorn (2 sync workers, the
production settings, DEBUG off) and the bare project in bench/bare/ under the
same gunicorn command line, then drives each page with `wrk -t2 -c16`
(BENCH_SECONDS, default 10 s per run) for BENCH_ROUNDS rounds (default 3).
The bare view is measured before and after each page; a page's share in a
round is its requests per second over the mean of those two, and the figure
printed is the median share over the rounds. Targets (DESIGN.md, "Performance
by design"): 0.60 for anonymous pages and the verify page, 0.35 for a
signed-in learner's pages, 0.70 for the verify API.

The database is a fresh SQLite file with the demo (bench/demo_site.py), and
Redis a private redis-server, since production keeps its cache and sessions
there. BENCH_DATABASE_URL and BENCH_REDIS_URL name a PostgreSQL database and
a Redis to use instead. Rate limits are off for the site (RATELIMIT_ENABLE=0)
so the verify API is measured, not its refusals. Each page is fetched once
first and skipped, with the reason, unless it answers 200 with its own
content; then warmed up, so page caches are full before measuring.
"""

import gzip
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.servers import (
    LOOPBACK,
    Server,
    ServerFailed,
    free_port,
    gunicorn,
    running,
    signing_key_file,
    wait_until_ready,
)

from . import wrk
from .demo_site import REQUEST_HEADERS
from .figures import Measurement, Ratio

SECONDS = 10
ROUNDS = 3
WARM_UP_S = 2
WORKERS = 2
ANONYMOUS_SHARE = 0.60
SIGNED_IN_SHARE = 0.35
API_SHARE = 0.70
ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "circles.settings.production"
BARE_SETTINGS = "bench.bare.settings"
# What the servers may take from the benchmark's own environment.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "XDG_CACHE_HOME")
# Headers that say whether, and how long, an answer may be kept: printed with
# the page's figures (any header with "cache" in its name is printed too).
CACHE_HEADERS = ("cache-control", "age")
# Building the database and collecting static files: minutes at most.
BUILD_TIMEOUT_S = 15 * 60


@dataclass(frozen=True)
class Page:
    """A page measured: its key in bench/demo_site.py, its label and its target."""

    key: str
    label: str
    target: float


PAGES = (
    Page("home", "home page, anonymous", ANONYMOUS_SHARE),
    Page("catalogue", "course catalogue, anonymous", ANONYMOUS_SHARE),
    Page("course", "course page, anonymous", ANONYMOUS_SHARE),
    Page("module", "module page, anonymous", ANONYMOUS_SHARE),
    Page("verify", "verify page, a valid code", ANONYMOUS_SHARE),
    Page("verify_api", "verify API, a valid code (JSON)", API_SHARE),
    Page("lesson", "lesson page, signed in", SIGNED_IN_SHARE),
    Page("quiz", "quiz page, signed in", SIGNED_IN_SHARE),
    Page("my_learning", "My learning, signed in", SIGNED_IN_SHARE),
)


class BuildFailed(RuntimeError):
    """The benchmark's site could not be built; the message says why."""


@dataclass(frozen=True)
class Target:
    """A URL wrk drives, with the headers its visitor's browser sends."""

    url: str
    headers: tuple[str, ...]


@dataclass
class Samples:
    """A page's wrk runs and shares over the rounds, and what was seen on the way."""

    page: Page
    target: Target
    queries: str
    cache: str = ""
    runs: list[wrk.WrkResult] = field(default_factory=list)
    bare_rates: list[float] = field(default_factory=list)

    @property
    def shares(self) -> list[float]:
        return [
            run.requests_per_second / bare
            for run, bare in zip(self.runs, self.bare_rates, strict=True)
        ]


def run(count: int | None) -> list[Measurement]:
    """Build, serve and drive the pages; the figures, or none (saying why).

    count is not used: BENCH_SECONDS and BENCH_ROUNDS set the length of a run.
    """
    seconds, rounds = _env_number("BENCH_SECONDS", SECONDS), _env_rounds()
    try:
        return _benchmark(seconds=seconds, rounds=rounds)
    except (BuildFailed, ServerFailed, wrk.WrkFailed) as error:
        print(f"  no figures: {error}", flush=True)
        return []


def _benchmark(*, seconds: float, rounds: int) -> list[Measurement]:
    with (
        tempfile.TemporaryDirectory(prefix="circles-bench-") as temporary,
        ExitStack() as servers,
    ):
        folder = Path(temporary)
        redis_url = os.environ.get("BENCH_REDIS_URL") or servers.enter_context(
            _private_redis(folder)
        )
        env = _site_environment(folder, redis_url=redis_url)
        started = time.monotonic()
        demo = _build_site(env)
        print(f"  built the demo site in {time.monotonic() - started:.0f} s")
        site = servers.enter_context(serve("circles.wsgi", env=env, folder=folder))
        bare = servers.enter_context(
            serve("bench.bare.wsgi", env=bare_environment(), folder=folder)
        )
        wait_until_ready(site, bare)
        print(f"  {_setting_line(seconds, rounds)}", flush=True)
        bare_target = Target(url=f"{_base_url(bare)}/", headers=_headers())
        pages, skipped = _checked_pages(_base_url(site), demo)
        _warm_up(bare_target, pages)
        bare_rates = _measure(bare_target, pages, seconds=seconds, rounds=rounds)
        return _figures(bare_rates, pages, skipped)


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def _env_rounds() -> int:
    return max(1, int(_env_number("BENCH_ROUNDS", ROUNDS)))


# --- the servers ------------------------------------------------------------------


@contextmanager
def _private_redis(folder: Path) -> Iterator[str]:
    """A redis-server of the benchmark's own on a free port; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise BuildFailed("redis-server is not installed: `make bench` installs it.")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", LOOPBACK, "--dir", str(folder)]
    command += ["--save", "", "--appendonly", "no"]
    with running("redis", command, log=folder / "redis.log", port=port):
        yield f"redis://{LOOPBACK}:{port}/0"


def serve(
    app: str, *, env: Mapping[str, str], folder: Path
) -> AbstractContextManager[Server]:
    """Serve app as tests/servers.py serves the site: one command line for both."""
    name = app.removesuffix(".wsgi").replace(".", "-")
    return gunicorn(
        env=env, folder=folder, workers=WORKERS, name=name, wait=False, app=app
    )


def _base_url(server: Server) -> str:
    return f"http://{LOOPBACK}:{server.port}"


def _site_environment(folder: Path, *, redis_url: str) -> dict[str, str]:
    """The production settings' variables for the site, as a deployment sets them."""
    passed = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env = passed | {
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": LOOPBACK,
        "REDIS_URL": redis_url,
        "SITE_URL": f"https://{LOOPBACK}",
        "SIGNING_KEY_FILE": str(signing_key_file(folder)),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
        "STATIC_ROOT": str(folder / "static"),
        # Off for the benchmark alone: measure the verify API, not its refusals.
        "RATELIMIT_ENABLE": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if database_url:
        return env | {"DATABASE_URL": database_url}
    return env | {"SQLITE_PATH": str(folder / "db.sqlite3")}


def bare_environment() -> dict[str, str]:
    """The bare project's environment: its own settings and nothing of the site's."""
    passed = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    return passed | {"DJANGO_SETTINGS_MODULE": BARE_SETTINGS, "PYTHONUNBUFFERED": "1"}


def _setting_line(seconds: float, rounds: int) -> str:
    database = "PostgreSQL" if os.environ.get("BENCH_DATABASE_URL") else "SQLite"
    redis = "Redis" if os.environ.get("BENCH_REDIS_URL") else "a private Redis"
    return (
        f"gunicorn, {WORKERS} sync workers each; {SETTINGS}, {database}, {redis}; "
        f"{' '.join(wrk.command('URL', seconds=seconds)[1:-1])}; {rounds} round(s)"
    )


# --- the database -----------------------------------------------------------------


def _build_site(env: Mapping[str, str]) -> dict:
    """Collect static files, then build the demo; bench/demo_site.py's report."""
    # Production's templates name files from the manifest collectstatic writes,
    # and demo_site.py renders the pages to count their queries.
    collect = _build_step(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env
    )
    if collect.returncode != 0:
        raise BuildFailed(f"collectstatic failed:{_tail(collect.stderr)}")
    build = _build_step([sys.executable, "-m", "bench.demo_site"], env)
    lines = [line for line in build.stdout.splitlines() if line.startswith("{")]
    if build.returncode != 0 or not lines:
        raise BuildFailed(f"building the demo failed:{_tail(build.stderr)}")
    return json.loads(lines[-1])


def _build_step(
    command: list[str], env: Mapping[str, str]
) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(  # noqa: S603 - our own command line
            command,
            cwd=ROOT,
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        step = " ".join(command[1:3])
        raise BuildFailed(f"{step} took over {BUILD_TIMEOUT_S} s") from error


def _tail(text: str, lines: int = 15) -> str:
    return "\n    ".join(["", *text.splitlines()[-lines:]])


# --- checking and warming the pages -----------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Stop at a redirect: a page that sends its visitor elsewhere is not served."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def _headers(cookie: str = "") -> tuple[str, ...]:
    headers = tuple(f"{name}: {value}" for name, value in REQUEST_HEADERS.items())
    return (*headers, f"Cookie: {cookie}") if cookie else headers


def _checked_pages(base_url: str, demo: dict) -> tuple[list[Samples], list[Ratio]]:
    """The pages that answer 200 with their content, and a figure for each other."""
    pages, skipped = [], []
    for page in PAGES:
        facts = demo["pages"][page.key]
        target = Target(
            url=base_url + facts["path"],
            headers=_headers(demo["cookie"] if facts["signed_in"] else ""),
        )
        problem = _problem(target, facts["marker"])
        if problem:
            print(f"  {page.label}: skipped, {problem}", flush=True)
            skipped.append(Ratio(page.label, None, page.target, f"skipped: {problem}"))
            continue
        pages.append(Samples(page=page, target=target, queries=_queries(facts)))
    return pages, skipped


def _problem(target: Target, marker: str) -> str:
    """Why the page cannot be measured, or "" when it answers 200 with its content."""
    try:
        status, _answer_headers, body = _fetch(target)
    except urllib.error.HTTPError as error:
        where = error.headers.get("Location")
        return f"it answered {error.code}" + (f" (to {where})" if where else "")
    except OSError as error:
        return f"it did not answer: {error}"
    if marker not in body:
        return f"it answered {status} without the page's own content"
    return ""


def _fetch(target: Target) -> tuple[int, Mapping[str, str], str]:
    headers = dict(header.split(": ", 1) for header in target.headers)
    request = urllib.request.Request(target.url, headers=headers)  # noqa: S310 - loopback
    with _OPENER.open(request, timeout=30) as response:
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return response.status, response.headers, body.decode(errors="replace")


def _queries(facts: dict) -> str:
    if facts["status"] != 200:
        return f"queries not counted (in-process answer {facts['status']})"
    return f"{facts['queries_warm']} queries (first request {facts['queries_first']})"


def _warm_up(bare: Target, pages: list[Samples]) -> None:
    """Drive every URL briefly, so caches and both workers are warm; note caching."""
    wrk.run(bare.url, seconds=WARM_UP_S, headers=bare.headers)
    for samples in pages:
        wrk.run(samples.target.url, seconds=WARM_UP_S, headers=samples.target.headers)
        _status, headers, _body = _fetch(samples.target)
        samples.cache = _cache_note(headers)


def _cache_note(headers: Mapping[str, str]) -> str:
    """The answer's caching headers, as "Name: value" pairs."""
    shown = [
        f"{name}: {value}"
        for name, value in headers.items()
        if name.lower() in CACHE_HEADERS or "cache" in name.lower()
    ]
    return "; ".join(shown) or "no caching headers"


# --- measuring --------------------------------------------------------------------


def _measure(
    bare: Target, pages: list[Samples], *, seconds: float, rounds: int
) -> list[float]:
    """Each round: the bare view, then each page followed by the bare view again.

    The bare run after a page is the one before the next page, so every page
    sits between two bare runs. Returns every bare run's requests per second.
    """
    bare_rates = []
    for round_number in range(1, rounds + 1):
        before = _drive(bare, seconds).requests_per_second
        bare_rates.append(before)
        for samples in pages:
            samples.runs.append(_drive(samples.target, seconds))
            after = _drive(bare, seconds).requests_per_second
            bare_rates.append(after)
            samples.bare_rates.append((before + after) / 2)
            before = after
        shares = ", ".join(f"{s.page.key} {s.shares[-1]:.2f}" for s in pages)
        print(f"  round {round_number} of {rounds}: {shares}", flush=True)
    return bare_rates


def _drive(target: Target, seconds: float) -> wrk.WrkResult:
    return wrk.run(target.url, seconds=seconds, headers=target.headers)


def _figures(
    bare_rates: list[float], pages: list[Samples], skipped: list[Ratio]
) -> list[Measurement]:
    figures: list[Measurement] = [
        (
            f"bare Django view, median of {len(bare_rates)} runs",
            statistics.median(bare_rates),
            None,
            "/s",
        )
    ]
    figures += [_ratio(samples) for samples in pages]
    return figures + skipped


def _ratio(samples: Samples) -> Ratio:
    """The page's median share, with the figures behind it."""
    runs = samples.runs
    rate = statistics.median(run.requests_per_second for run in runs)
    p50 = statistics.median(run.p50 for run in runs)
    p99 = statistics.median(run.p99 for run in runs)
    bare = statistics.median(samples.bare_rates)
    detail = (
        f"{rate:.0f} req/s (bare {bare:.0f}), p50 {p50 * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, {samples.queries}; {samples.cache}"
    )
    bad = sum(run.bad_responses for run in runs)
    errors = sum(run.socket_errors for run in runs)
    if bad or errors:
        detail += (
            f"; PROBLEM (figures suspect): {bad} answers outside 2xx/3xx, "
            f"{errors} socket errors"
        )
    return Ratio(
        samples.page.label,
        statistics.median(samples.shares),
        samples.page.target,
        detail,
    )
