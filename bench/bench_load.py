"""Learners under load on both shapes: completions per second and p95 latency.

Runs the load test's scenario (tests/load/) once per shape, each in a process
of its own: the scaled-out shape under scripts/stack.sh --s3 (nginx, two
gunicorns of 2 workers, PostgreSQL, Redis, S3, one task worker), then the
embedded default (one gunicorn of 2 workers on SQLite, tasks in-process).
32 learners (or --count) sign up, enrol, take every step, fail and retake
each quiz and finish, with no pauses between requests: far more pressure
than 32 people reading. Sign-ups hash with production's Argon2.

Figures, no targets: a completion is a step recorded as done; latencies are
the 95th percentile of every request, and of the completion requests
(lessons marked complete, quiz answers submitted).
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

LEARNERS = 32
ROOT = Path(__file__).resolve().parent.parent
# Both shapes start servers, build a database and take a few minutes at most.
TIMEOUT_S = 15 * 60


def run(count: int | None) -> Iterator[tuple]:
    """Each shape's figures, as soon as its run is over."""
    for shape in ("stack", "embedded"):
        figures = _scenario(shape, count or LEARNERS)
        if figures is not None:
            yield from _measurements(shape, figures)


def _scenario(shape: str, learners: int) -> dict | None:
    """Run one shape; its figures, or None (saying why) when the run went wrong."""
    command = [sys.executable, "-m", "tests.load", "--shape", shape, "--json"]
    command += ["--learners", str(learners)]
    if shape == "stack":
        command = [str(ROOT / "scripts" / "stack.sh"), "--s3", "--", *command]
    # The child picks its own settings for the shape.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    try:
        finished = subprocess.run(  # noqa: S603 - our own command line
            command,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        print(f"  {shape}: no figures, the run took over {TIMEOUT_S} s", flush=True)
        return None
    report = _last_json_line(finished.stdout)
    if report is None:
        tail = "\n    ".join(finished.stderr.splitlines()[-15:])
        print(f"  {shape}: no figures, the run failed:\n    {tail}", flush=True)
        return None
    for problem in report["problems"]:
        first_line = problem.splitlines()[0]
        print(f"  {shape}: PROBLEM (figures below are suspect): {first_line}")
    return report["figures"]


def _last_json_line(output: str) -> dict | None:
    for line in reversed(output.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    return None


def _measurements(shape: str, figures: dict) -> list[tuple]:
    learners = int(figures["learners"])
    return [
        (
            f"{shape}: {learners} learners, {int(figures['requests'])} requests in",
            figures["seconds"],
            None,
        ),
        (
            f"{shape}: completions per second",
            figures["completions_per_second"],
            None,
            "/s",
        ),
        (f"{shape}: requests per second", figures["requests_per_second"], None, "/s"),
        (f"{shape}: p50 latency, all requests", figures["p50_all"], None),
        (f"{shape}: p95 latency, all requests", figures["p95_all"], None),
        (f"{shape}: p95 latency, completion requests", figures["p95_completion"], None),
        (f"{shape}: p95 latency, sign-up (Argon2)", figures["p95_sign_up"], None),
    ]
