"""Thirty-two learners at once, on either shape, from sign-up to verified certificate.

`run_scenario` builds the course in the caller's database, starts the shape
on loopback, lets the learners loose, and checks what the servers recorded.
The load tests assert that nothing went wrong; `make bench` (through
`python -m tests.load`) reports the figures.
"""

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests
from django.db import connection

from .checks import problems_after
from .course import build_course, course_plan
from .learners import figures, run_learners
from .shapes import Site, embedded_site, stack_site

LEARNERS = 32
SHAPES = ("stack", "embedded")
# Pages each web process renders once before the clock starts.
WARM_UP_PATHS = ("/", "/accounts/signup/", "/healthz")
WARM_UP_ROUNDS = 4


@dataclass(frozen=True)
class Outcome:
    """A run's figures and, when something went wrong, what."""

    shape: str
    figures: dict[str, float]
    problems: list[str]


def run_scenario(
    shape: str, *, folder: Path, course_index, learners: int = LEARNERS
) -> Outcome:
    """Run the whole scenario on one shape, in the database Django is using now."""
    plan = course_plan(build_course(course_index))
    with _site(shape, folder) as site:
        _warm_up(site, [*WARM_UP_PATHS, plan.url])
        run = run_learners(
            base_url=site.base_url,
            plan=plan,
            tls_certificate=site.tls.certificate,
            learners=learners,
            run_tag="learner",
        )
        problems = problems_after(run=run, plan=plan, site=site)
        if problems:
            problems.append("The servers' logs end:\n" + site.log_tails())
    return Outcome(shape=shape, figures=figures(run), problems=problems)


def _site(shape: str, folder: Path) -> AbstractContextManager[Site]:
    name = connection.settings_dict["NAME"]
    if shape == "stack":
        return stack_site(folder, database_url=_database_url(name))
    if shape == "embedded":
        return embedded_site(folder, sqlite_path=Path(name))
    raise ValueError(f"unknown shape {shape!r}; choose from {SHAPES}")


def _database_url(name: str) -> str:
    """DATABASE_URL, naming the database this process uses (pytest's test_…)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _warm_up(site: Site, paths: list[str]) -> None:
    """Load templates and caches in every web process, so the figures are steady."""
    for _round in range(WARM_UP_ROUNDS):
        for path in paths:
            response = requests.get(
                site.base_url + path,
                verify=str(site.tls.certificate),
                headers={"X-Real-IP": "10.2.0.1"},
                timeout=60,
            )
            if response.status_code != 200:
                raise AssertionError(
                    f"warming up, GET {path} answered {response.status_code}:\n"
                    + site.log_tails()
                )
