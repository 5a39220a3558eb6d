"""Drive a URL with wrk (Debian's `wrk`) and read its figures.

wrk's text report is parsed, not a Lua script's output, so the figures are
the ones a person running the same command line would read.
"""

import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

THREADS = 2
CONNECTIONS = 16
# Seconds wrk may overrun its duration (start-up, the last responses) before
# the run counts as hung.
OVERRUN_S = 60

_UNITS_S = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_PERCENTILE = r"^\s+{}%\s+([\d.]+)(us|ms|s|m|h)\s*$"
_REQUESTS = re.compile(r"^\s+(\d+) requests in ", re.MULTILINE)
_NON_2XX = re.compile(r"^\s+Non-2xx or 3xx responses: (\d+)", re.MULTILINE)
_SOCKET_ERRORS = re.compile(
    r"^\s+Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    re.MULTILINE,
)


class WrkFailed(RuntimeError):
    """wrk is missing, hung, or printed no figures; the message says which."""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: throughput, latency percentiles in seconds, and what went wrong."""

    requests_per_second: float
    p50: float
    p99: float
    requests: int
    # Answers outside 2xx and 3xx, and connect, read, write or timeout errors:
    # either makes the throughput suspect.
    bad_responses: int
    socket_errors: int


def parse(output: str) -> WrkResult:
    """Read the figures from wrk's report (run with --latency); raise WrkFailed."""
    rate = _RATE.search(output)
    requests = _REQUESTS.search(output)
    if rate is None or requests is None:
        raise WrkFailed(f"wrk printed no figures:\n{output.strip()}")
    errors = _SOCKET_ERRORS.search(output)
    bad = _NON_2XX.search(output)
    return WrkResult(
        requests_per_second=float(rate.group(1)),
        p50=_percentile(output, 50),
        p99=_percentile(output, 99),
        requests=int(requests.group(1)),
        bad_responses=int(bad.group(1)) if bad else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def _percentile(output: str, percent: int) -> float:
    found = re.search(_PERCENTILE.format(percent), output, re.MULTILINE)
    if found is None:
        raise WrkFailed(f"wrk printed no {percent}th percentile (run with --latency)")
    return float(found.group(1)) * _UNITS_S[found.group(2)]


def command(url: str, *, seconds: float, headers: Sequence[str] = ()) -> list[str]:
    """The wrk command line: 2 threads, 16 connections, latency percentiles."""
    line = [_binary(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s"]
    line.append("--latency")
    for header in headers:
        line += ["-H", header]
    return [*line, url]


def run(url: str, *, seconds: float, headers: Sequence[str] = ()) -> WrkResult:
    """Drive url for `seconds` and return what wrk measured; raise WrkFailed."""
    try:
        finished = subprocess.run(  # noqa: S603 - our own command line
            command(url, seconds=seconds, headers=headers),
            capture_output=True,
            text=True,
            timeout=seconds + OVERRUN_S,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise WrkFailed(f"wrk ran over {seconds + OVERRUN_S:.0f} s") from error
    if finished.returncode != 0:
        raise WrkFailed(f"wrk exited with {finished.returncode}: {finished.stderr}")
    return parse(finished.stdout)


def _binary() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise WrkFailed("wrk is not installed: `make bench` installs it from Debian.")
    return path
