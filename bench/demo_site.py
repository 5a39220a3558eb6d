"""Build the page benchmark's demo site and describe its pages, as one JSON line.

    python -m bench.demo_site   (run by bench/bench_http.py, never by hand)

Runs under the settings and database the benchmark's gunicorn will serve:
migrates, seeds the demo, puts the demo learner partway through the
Foundations course (first step done, notes of the measured steps read) and
signs them in. For each page it prints the path, a string only the right
page contains, and the SQL queries one request makes, counted in-process with
the same settings: the first request, and the third, once the caches a
warmed-up server keeps are full. The session cookie is printed for wrk.
"""

import io
import json
import sys
from dataclasses import asdict, dataclass
from html import escape

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

COURSE_SLUG = "foundations"
# The demo's learner account (seed_demo); already holds the demo certificate.
LEARNER = "learner"
# As the benchmark's requests arrive: from a TLS-terminating proxy on loopback,
# from a browser, which always accepts compressed answers.
REQUEST_HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip"}
HOST = "127.0.0.1"


@dataclass(frozen=True)
class PageFacts:
    """Where a page is, how to tell it was served, and what it costs the database."""

    path: str
    marker: str
    signed_in: bool
    queries_first: int
    queries_warm: int
    # The in-process answer's status: the counts describe the page only if 200.
    status: int


def main() -> int:
    """Build the site, print one JSON object: the pages and the learner's cookie."""
    import django

    django.setup()
    _build_site()
    learner_client = _signed_in_learner()
    pages = {
        name: _facts(path, marker, learner_client if signed_in else None)
        for name, (path, marker, signed_in) in _pages().items()
    }
    print(json.dumps({"cookie": _cookie_header(learner_client), "pages": pages}))
    return 0


def _build_site() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", stdout=io.StringIO())


def _course():
    from courses.locales import originals
    from courses.models import CoursePage

    return originals(CoursePage.objects.all()).get(slug=COURSE_SLUG)


def _learner():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=LEARNER)


def _measured_steps():
    """The lesson and the quiz measured: the learner's next lesson, the first quiz."""
    from courses.outline import course_outline

    steps = course_outline(_course()).steps
    lesson = next(s for s in steps[1:] if s.kind == "lessonpage")
    quiz = next(s for s in steps if s.kind == "quizpage")
    return steps[0], lesson, quiz


def _signed_in_learner() -> Client:
    """The demo learner enrolled, one step done, signed in as a browser would be."""
    from wagtail.models import Page

    from courses.content_notes import SESSION_KEY
    from courses.services import complete_step, enrol

    learner = _learner()
    enrol(learner=learner, course=_course())
    done, lesson, quiz = _measured_steps()
    complete_step(learner=learner, step=Page.objects.get(pk=done.id).specific)
    client = _client()
    client.force_login(learner)
    # Notes the learner chose to go past, so the steps themselves are measured.
    session = client.session
    read = {lesson.id, lesson.module_id, quiz.id, quiz.module_id}
    session[SESSION_KEY] = sorted(read)
    session.save()
    # A browser sends back the CSRF cookie the pages set; take one as it would.
    client.get(lesson.url)
    return client


def _pages() -> dict[str, tuple[str, str, bool]]:
    """Each measured page: (path, marker, signed in)."""
    from django.urls import reverse

    from certificates.demo import DEMO_PRINTED_NAME
    from certificates.models import Certificate
    from courses.models import CourseIndexPage
    from courses.outline import course_outline
    from home.models import HomePage

    course = _course()
    module = course_outline(course).modules[0]
    catalogue = CourseIndexPage.objects.live().first()
    home = HomePage.objects.live().first()
    _done, lesson, quiz = _measured_steps()
    code = Certificate.objects.filter(learner=_learner()).first().display_code
    return {
        "home": ("/", escape(home.title), False),
        "catalogue": (catalogue.url, escape(course.title), False),
        "course": (course.url, escape(course.title), False),
        "module": (module.url, escape(module.title), False),
        "verify": (
            reverse("certificates:verify_result", kwargs={"code": code}),
            escape(DEMO_PRINTED_NAME),
            False,
        ),
        "verify_api": (
            reverse("certificates:api_certificate", kwargs={"code": code}),
            code,
            False,
        ),
        # The forms only the step itself has, not its content note.
        "lesson": (lesson.url, f'action="{lesson.url}complete/"', True),
        "quiz": (quiz.url, f'action="{quiz.url}start/"', True),
        "my_learning": (reverse("dashboard"), escape(course.title), True),
    }


def _client() -> Client:
    return Client(headers=REQUEST_HEADERS, HTTP_HOST=HOST)


def _facts(path: str, marker: str, learner_client: Client | None) -> dict:
    """The page's facts, asked for by the learner's browser or an anonymous one."""
    client = learner_client or _client()
    (first, _status), _second, (warm, status) = [
        _queries(client, path) for _request in range(3)
    ]
    facts = PageFacts(
        path=path,
        marker=marker,
        signed_in=learner_client is not None,
        queries_first=first,
        queries_warm=warm,
        status=status,
    )
    return asdict(facts)


def _queries(client: Client, path: str) -> tuple[int, int]:
    """The SQL queries one GET of path makes, and the answer's status."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return len(captured.captured_queries), response.status_code


def _cookie_header(client: Client) -> str:
    """The Cookie header the learner's browser would send: session and CSRF."""
    return "; ".join(
        f"{name}={morsel.value}" for name, morsel in client.cookies.items()
    )


if __name__ == "__main__":
    sys.exit(main())
